"""Uploaded materials: what a file really is, where it is kept, and how it is replaced.

The type is read from the content (magic numbers via `filetype`), never from the name: DOCX and
XLSX are zip containers, so their [Content_Types].xml must declare a Word or Excel main part.
The check (`duixian.core.uploads.check_upload`) runs on a temporary copy of the upload, so a
refused file never reaches the storage.

Files are kept through Django's storage API (`default_storage`): the local disk under
MEDIA_ROOT/materials/ by default, the S3-compatible bucket when S3_BUCKET is set. Nothing here
knows a file-system path; every read, download, export and backup goes through the storage.
The row keeps only the random name (`stored_name`); the file is `materials/<stored_name>` in the
storage, which is where the earlier, disk-only versions put it too.

A file is written to the storage with a random name, then the row is written in a transaction
(with the caller's audit row, `audit`, so the two commit together or not at all); if the row
fails the file is deleted, so a crash leaves neither a half-made record nor an
orphan the database points to. A replaced or removed file is deleted only once the transaction
that dropped its row has committed.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, connections, router, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy as _

from duixian.applications.models import EDITABLE_STATES, Application, ApplicationState, Material
from duixian.core.errors import DomainError
from duixian.core.uploads import (
    OFFICE_DOCUMENTS, IMAGES_AND_PDF, CheckedUpload, Refusals, UploadRefused, check_upload,
)

ALLOWED = {**IMAGES_AND_PDF, **OFFICE_DOCUMENTS}
ALLOWED_LABEL = _("PDF、JPG、PNG、DOCX、XLSX")
FOLDER = "materials"  # in the storage


class MaterialError(DomainError):
    """A refused material (upload, removal, check), with the Chinese message the user sees."""


class MaterialLocked(MaterialError):
    """The application left 草稿/退回补正 (submitted, withdrawn) after the caller checked it."""


def _refusals() -> Refusals:
    return Refusals(
        too_big=_("文件超过 {limit_mb} MB 的大小限制，请压缩或拆分后重新上传。"),
        empty=_("文件是空的，请重新选择。"),
        wrong_type=format_lazy(_("文件内容不是可接受的类型（仅接受 {allowed}），请检查后重新上传。文件类型按内容识别，与扩展名无关。"), allowed=ALLOWED_LABEL),
    )


def storage_name(material: Material | str) -> str:
    """The material's name in the storage (`materials/<stored_name>`)."""
    stored = material if isinstance(material, str) else material.stored_name
    return f"{FOLDER}/{stored}"


def safe_original_name(name: str) -> str:
    name = PurePosixPath((name or "").replace("\\", "/")).name.replace("\x00", "").strip()
    return name[:255] or "未命名文件"


def _discard(name: str) -> None:
    """Delete a file written for a row that was never made; the first error is the one to report."""
    with contextlib.suppress(Exception):
        default_storage.delete(name)


def _delete_later(names: list[str]) -> None:
    def delete():
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)


class _SlotTaken(Exception):
    """The slot's new row collided with another upload's row committed meanwhile (rolled back)."""


def _lock_editable(application_id: int) -> None:
    """Lock the application's row until the commit, as a submit does before it snapshots the
    materials, and refuse unless it can still be changed: a file never joins an application after
    its submission was taken, whatever the caller read before."""
    alias = router.db_for_write(Application)
    connection = connections[alias]
    quote = connection.ops.quote_name
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""  # SQLite: the write lock is taken at BEGIN
    with connection.cursor() as cursor:
        meta = Application._meta
        cursor.execute(f"SELECT {quote(meta.get_field('state').column)} FROM {quote(meta.db_table)} "
                       f"WHERE {quote(meta.pk.column)} = %s{lock}", [application_id])
        row = cursor.fetchone()
    if row is None or row[0] not in EDITABLE_STATES:
        label = ApplicationState(row[0]).label if row else ""
        raise MaterialLocked(gettext("申报当前状态为“%(state)s”，已不能修改。") % {"state": label})


def _clear_slot(application_id: int, slot: str) -> list[str]:
    """Delete the slot's row (locked until the commit, as SELECT ... FOR UPDATE would); answer the
    stored names it had. One statement: Material has no relations to follow and no signals."""
    alias = router.db_for_write(Material)
    quote = connections[alias].ops.quote_name
    with connections[alias].cursor() as cursor:
        cursor.execute(f"DELETE FROM {quote(Material._meta.db_table)} WHERE {quote('application_id')} = %s"
                       f" AND {quote('slot')} = %s RETURNING {quote('stored_name')}", [application_id, slot])
        return [stored for (stored,) in cursor.fetchall()]


def check_material(upload) -> CheckedUpload:
    """The check every material file passes, also a document put in the organisation's wallet
    (duixian.wallet): MAX_UPLOAD_MB, not empty, a type in ALLOWED by its content. Raises
    MaterialError with the Chinese message."""
    try:
        return check_upload(upload, max_bytes=settings.MAX_UPLOAD_MB * 1024 * 1024, allowed=ALLOWED,
                            refusals=_refusals())
    except UploadRefused as refused:
        raise MaterialError(refused.message) from None


def material_store(application, slot: str, upload, *, user, audit: Callable[[Material], object] | None = None) -> Material:
    """Store `upload` (a Django UploadedFile) as the file of `slot`, replacing any earlier one.

    `audit(material)` writes the audit row in the transaction that makes the row: if it fails,
    neither the row nor the file is kept (and the earlier file stays).

    Raises MaterialError with a Chinese message when the file is too large, empty or of a
    type not accepted, MaterialLocked when the application can no longer be changed (checked under
    the application's row lock, so a submit cannot slip in between). The caller checks permission.
    """
    checked = check_material(upload)
    wanted = storage_name(secrets.token_hex(20))
    with checked:
        try:
            saved = default_storage.save(wanted, checked.as_file())
        except BaseException:
            _discard(wanted)  # a half-written object, if the storage left one
            raise
    try:
        stored_name = saved.removeprefix(f"{FOLDER}/")
        if saved != storage_name(stored_name) or "/" in stored_name:  # the storage renamed it elsewhere
            raise RuntimeError(f"storage saved {wanted!r} as {saved!r}")
        for attempt in range(3):
            try:
                with transaction.atomic():
                    _lock_editable(application.pk)
                    old = _clear_slot(application.pk, slot)
                    try:
                        material = Material.objects.create(
                            application=application, slot=slot, stored_name=stored_name,
                            original_name=safe_original_name(upload.name), sha256=checked.sha256, size=checked.size,
                            content_type=checked.content_type, uploaded_by=user,
                        )
                    except IntegrityError:
                        raise _SlotTaken from None
                    if audit is not None:
                        audit(material)
                    _delete_later([storage_name(name) for name in old])
                return material
            except _SlotTaken:
                # Another upload into this slot committed its row after our DELETE had looked
                # (PostgreSQL, read committed: a double click, two tabs, a wallet copy). Rolled
                # back; the next DELETE sees that row and replaces it, as the later upload should.
                if attempt == 2:
                    raise IntegrityError(f"material slot {slot!r} of application {application.pk} kept being taken")
    except BaseException:
        _discard(saved)
        raise


def material_remove(material: Material) -> None:
    with transaction.atomic():
        material.delete()
        _delete_later([storage_name(material)])


def material_open(material: Material):
    """The stored file, open for reading (a Django File; close it, or hand it to FileResponse).

    Raises FileNotFoundError when the storage has no such file."""
    return default_storage.open(storage_name(material), "rb")
