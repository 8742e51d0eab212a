"""Checking an uploaded attachment: its size, and its type judged from the content, not the name.

One check for every file the platform keeps (application materials, 授权书, objection
attachments). The upload is copied into a temporary file (memory for small ones, the system's
temporary folder for large ones, never MEDIA_ROOT or the bucket) while it is counted and hashed;
the type comes from the magic numbers (`filetype`), and a zip is a DOCX or an XLSX only when its
[Content_Types].xml declares a Word or Excel main part. The caller writes to storage only a copy
that passed, so a refused file never reaches the storage at all.

Each caller may word the three refusals (too large, empty, wrong type) its own way; the defaults
name the attachment, which suits forms that take several files.
"""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from dataclasses import dataclass
from typing import IO

import filetype
from django.core.files import File
from django.utils.translation import gettext, gettext_lazy

from duixian.core.errors import DomainError

IMAGES_AND_PDF = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
OFFICE_DOCUMENTS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_SIGNATURE_BYTES = 8192  # what filetype reads of a file
_MEMORY_BYTES = 1024 * 1024  # larger copies spill to the system's temporary folder
_MIB = 1024 * 1024


class UploadRefused(DomainError):
    """The Chinese message says what is wrong with the file and what to do."""


@dataclass(frozen=True)
class Refusals:
    """Templates of the three refusals. Placeholders: {name} (the file's name as sent),
    {limit_mb} (the limit in whole MB), {size_mb} (the size in MB, a float: use {size_mb:.1f}),
    {kinds} (the allowed types, e.g. "PDF、JPG 或 PNG")."""

    too_big: str = gettext_lazy("附件“{name}”超过 {limit_mb}MB，请压缩后再上传。")
    empty: str = gettext_lazy("附件“{name}”是空的，请重新选择。")
    wrong_type: str = gettext_lazy("附件“{name}”不是 {kinds} 文件（按文件内容判断），不能上传。")


@dataclass
class CheckedUpload:
    """A copy of an upload that passed the check. Close it (or use `with`) when written."""

    file: IO[bytes]
    name: str
    size: int
    sha256: str
    extension: str
    content_type: str

    def read(self) -> bytes:
        self.file.seek(0)
        return self.file.read()

    def as_file(self) -> File:
        """The copy, at its start, as a Django File for `Storage.save`."""
        self.file.seek(0)
        return File(self.file, name=self.name or "upload")

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> CheckedUpload:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def kinds_label(allowed: dict[str, str]) -> str:
    kinds = [ext.upper() for ext in allowed]
    if len(kinds) == 1:
        return kinds[0]
    return gettext("%(first)s 或 %(last)s") % {"first": gettext("、").join(kinds[:-1]), "last": kinds[-1]}


def _ooxml_kind(handle: IO[bytes]) -> str | None:
    """"docx" or "xlsx" when the zip declares a Word or Excel main part, else None."""
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        return None
    for ext, main in _OOXML_MAIN.items():
        if main in types:
            return ext
    return None


def _sniff(handle: IO[bytes], allowed: dict[str, str]) -> str | None:
    handle.seek(0)
    kind = filetype.guess(handle.read(_SIGNATURE_BYTES))
    if kind is None:
        return None
    extension = kind.extension
    if extension in ("zip", *_OOXML_MAIN) and any(ext in allowed for ext in _OOXML_MAIN):
        extension = _ooxml_kind(handle)
    return extension if extension in allowed else None


def check_upload(upload, *, max_bytes: int, allowed: dict[str, str] = IMAGES_AND_PDF,
                 refusals: Refusals = Refusals()) -> CheckedUpload:
    """Copy, count, hash and sniff `upload` (a Django UploadedFile); raise UploadRefused when it
    is too large, empty or not of an `allowed` type (extension → content type)."""
    name = getattr(upload, "name", "") or ""
    words = {"name": name, "limit_mb": max_bytes // _MIB, "kinds": kinds_label(allowed)}
    declared = getattr(upload, "size", None) or 0
    if declared > max_bytes:
        raise UploadRefused(refusals.too_big.format(size_mb=declared / _MIB, **words))
    copy = tempfile.SpooledTemporaryFile(max_size=_MEMORY_BYTES)
    try:
        digest, size = hashlib.sha256(), 0
        for chunk in upload.chunks():
            size += len(chunk)
            if size > max_bytes:  # the declared size can lie
                raise UploadRefused(refusals.too_big.format(size_mb=max(size, declared) / _MIB, **words))
            digest.update(chunk)
            copy.write(chunk)
        if size == 0:
            raise UploadRefused(refusals.empty.format(size_mb=0.0, **words))
        extension = _sniff(copy, allowed)
        if extension is None:
            raise UploadRefused(refusals.wrong_type.format(size_mb=size / _MIB, **words))
        copy.seek(0)
        return CheckedUpload(file=copy, name=name, size=size, sha256=digest.hexdigest(),
                             extension=extension, content_type=allowed[extension])
    except BaseException:
        copy.close()
        raise


def read_checked_upload(upload, *, max_bytes: int, allowed: dict[str, str] = IMAGES_AND_PDF,
                        refusals: Refusals = Refusals()) -> tuple[bytes, str, str]:
    """Read the whole file and answer (content, extension, content type), or raise UploadRefused."""
    with check_upload(upload, max_bytes=max_bytes, allowed=allowed, refusals=refusals) as checked:
        return checked.read(), checked.extension, checked.content_type
