"""Reads of the wallet: the current documents, where an application's files came from, and
which attached documents are past their validity."""

from __future__ import annotations

from duixian.core import clock
from duixian.core.compiled import CompiledQuery
from duixian.wallet.models import WalletDocument


def today():
    return clock.now().astimezone(clock.SHANGHAI).date()


# 材料 asks on every view, for each editor's picker: compiled once per process (duixian.core.compiled);
# building it through the ORM cost more CPU than the rest of the picker (issue 22).
_CURRENT = CompiledQuery(WalletDocument, lambda org: WalletDocument.objects.of_organisation(org).current()
                         .order_by("doc_type", "title", "-pk"), (-7_654_321,))


def current_documents(organisation_id) -> list[WalletDocument]:
    """The organisation's documents that can be chosen (the current version of each), by type and title."""
    return _CURRENT.all(organisation_id)


def document_history(organisation_id):
    """Retired versions, newest first: kept because submitted snapshots may name them."""
    return (WalletDocument.objects.of_organisation(organisation_id).exclude(retired_at__isnull=True)
            .order_by("-retired_at", "-pk"))


def expired_attachments(materials, day=None) -> list[WalletDocument]:
    """The wallet document versions the given materials were copied from that are past their
    validity. Materials already read cost no query; none from the wallet, none at all (确认信息 is
    one of the last hour's busiest pages)."""
    ids = {m.wallet_document_id for m in materials if m is not None and m.wallet_document_id}
    if not ids:
        return []
    day = day or today()
    return [d for d in WalletDocument.objects.filter(pk__in=ids).order_by("pk") if d.expired_on(day)]
