"""Writes of the wallet: add a document (or a new version of one), retire one, attach one to a
material slot. Every one is audited; every file passes the materials' upload check."""

from __future__ import annotations

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from duixian import authz
from duixian.applications import policy_bridge
from duixian.applications.materials import check_material, material_store, safe_original_name, storage_name
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.core.errors import DomainError
from duixian.core.stored_files import discard, open_or_404, save_checked
from duixian.wallet.models import WalletDocument

FOLDER = "wallet"  # in the storage


class WalletRefused(DomainError):
    """A refused wallet action, with the Chinese message the user sees."""


def wallet_document_add(organisation, *, doc_type: str, title: str, issuer: str, issued_on=None,
                        valid_until=None, upload, user, replaces: WalletDocument | None = None,
                        request=None) -> WalletDocument:
    allowed, reason = authz.check(user, "wallet.change", organisation)
    if not allowed:
        raise WalletRefused(reason)
    if issued_on and valid_until and valid_until < issued_on:
        raise WalletRefused(_("有效期至不能早于发证日期。"), field="valid_until")
    if replaces is not None and (replaces.organisation_id != organisation.pk or replaces.retired_at):
        raise WalletRefused(_("只能替换本单位证照库中正在使用的证照。"), field="replaces")
    try:
        checked = check_material(upload)
    except DomainError as refused:
        raise WalletRefused(refused.message, field="file") from None
    with checked:
        saved = save_checked(FOLDER, checked)
    try:
        with transaction.atomic():
            if replaces is not None:
                replaces = WalletDocument.objects.select_for_update().get(pk=replaces.pk)
                if replaces.retired_at:
                    raise WalletRefused(_("该证照已被替换，请刷新页面。"), field="replaces")
                replaces.retired_at = clock.now()
                replaces.save(update_fields=["retired_at"])
            document = WalletDocument.objects.create(
                organisation=organisation, doc_type=doc_type, title=title.strip(), issuer=issuer.strip(),
                issued_on=issued_on, valid_until=valid_until, version=replaces.version + 1 if replaces else 1,
                replaces=replaces, stored_name=saved, original_name=safe_original_name(checked.name),
                sha256=checked.sha256, size=checked.size, content_type=checked.content_type, uploaded_by=user)
            audit_record("wallet.document_add", user=user, request=request, obj=document, detail={
                "organisation": organisation.pk, "doc_type": doc_type, "version": document.version,
                "replaces": replaces.pk if replaces else None, "sha256": document.sha256,
                "valid_until": valid_until.isoformat() if valid_until else None})
    except BaseException:
        discard(saved)
        raise
    return document


def wallet_document_retire(document: WalletDocument, *, user, request=None) -> None:
    """Take a document out of the choice; its file stays for the applications that used it."""
    allowed, reason = authz.check(user, "wallet.change", document)
    if not allowed:
        raise WalletRefused(reason)
    with transaction.atomic():
        locked = WalletDocument.objects.select_for_update().get(pk=document.pk)
        if locked.retired_at:
            return
        locked.retired_at = clock.now()
        locked.save(update_fields=["retired_at"])
        audit_record("wallet.document_retire", user=user, request=request, obj=locked,
                     detail={"organisation": locked.organisation_id, "version": locked.version})


def wallet_attach(app, slot: str, document: WalletDocument, *, user, request=None):
    """Copy `document` into the application's material slot (replacing its file), recording where
    the copy came from. The copy passes the upload check again, like any file put in a slot."""
    allowed, reason = authz.check(user, "application.edit", app)
    if not allowed:
        raise WalletRefused(reason)
    if document.organisation_id != app.organisation_id or document.retired_at:
        raise WalletRefused(_("只能选用本单位证照库中正在使用的证照。"), field="document")
    slots = {s.id for s in policy_bridge.material_slots(app.clause, app.application_type,
                                                         policy_bridge.application_pack(app))}
    if slot not in slots:
        raise WalletRefused(_("没有这一项材料。"), field="slot")
    handle, material = open_or_404(document.stored_name), None
    try:
        with transaction.atomic():
            material = material_store(app, slot, File(handle, name=document.original_name), user=user)
            material.wallet_document = document
            material.save(update_fields=["wallet_document"])
            # In the same transaction: the copy and its audit row are kept together or not at all.
            audit_record("wallet.attach", user=user, request=request, obj=material, detail={
                "application": app.pk, "slot": slot, "document": document.pk, "version": document.version,
                "sha256": material.sha256})
    except BaseException:
        if material is not None:  # the copy's row was rolled back: its file goes too
            discard(storage_name(material))
        raise
    finally:
        handle.close()
    return material
