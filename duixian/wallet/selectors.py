"""Reads of the wallet: the current documents, where an application's files came from, and
which attached documents are past their validity."""

from __future__ import annotations

from duixian.core import clock
from duixian.wallet.models import WalletDocument


def today():
    return clock.now().astimezone(clock.SHANGHAI).date()


def current_documents(organisation_id):
    return WalletDocument.objects.of_organisation(organisation_id).current().order_by("doc_type", "title", "-pk")


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
