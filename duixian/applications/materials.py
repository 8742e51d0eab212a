"""Uploaded materials: what a file really is, where it is kept, and how it is replaced.

The type is read from the content (magic numbers via `filetype`), never from the name: DOCX and
XLSX are zip containers, so their [Content_Types].xml must declare a Word or Excel main part.
Files are written under MEDIA_ROOT/materials/ with a random name, then the row is written in a
transaction; if the row fails the file is removed, so a crash leaves neither a half-made record
nor an orphan the database points to.
"""

from __future__ import annotations

import hashlib
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.db import transaction

from duixian.applications.models import Material

ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ALLOWED_LABEL = "PDF、JPG、PNG、DOCX、XLSX"
_OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}


class MaterialError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Sniffed:
    extension: str
    content_type: str


def materials_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "materials"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _ooxml_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    for ext, main in _OOXML_MAIN.items():
        if main in types:
            return ext
    return None


def sniff(path: Path) -> Sniffed | None:
    """What the file is by its content, or None when it is none of the accepted types."""
    kind = filetype.guess(str(path))
    if kind is None:
        return None
    if kind.extension in ("pdf", "jpg", "png"):
        return Sniffed(kind.extension, ALLOWED[kind.extension])
    if kind.extension in ("zip", "docx", "xlsx"):
        ext = _ooxml_kind(path)
        if ext:
            return Sniffed(ext, ALLOWED[ext])
    return None


def _safe_original_name(name: str) -> str:
    name = Path(name or "").name.replace("\x00", "").strip()
    return name[:255] or "未命名文件"


def material_store(application, slot: str, upload, *, user) -> Material:
    """Store `upload` (a Django UploadedFile) as the file of `slot`, replacing any earlier one.

    Raises MaterialError with a Chinese message when the file is too large, empty or of a
    type not accepted. The caller checks permission and that the application is editable.
    """
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise MaterialError(f"文件超过 {settings.MAX_UPLOAD_MB} MB 的大小限制，请压缩或拆分后重新上传。")
    if not upload.size:
        raise MaterialError("文件是空的，请重新选择。")
    directory = materials_dir()
    stored_name = secrets.token_hex(20)
    target = directory / stored_name
    digest, size = hashlib.sha256(), 0
    try:
        with open(target, "xb") as out:
            for chunk in upload.chunks():
                size += len(chunk)
                if size > limit:
                    raise MaterialError(f"文件超过 {settings.MAX_UPLOAD_MB} MB 的大小限制，请压缩或拆分后重新上传。")
                digest.update(chunk)
                out.write(chunk)
        sniffed = sniff(target)
        if sniffed is None:
            raise MaterialError(f"文件内容不是可接受的类型（仅接受 {ALLOWED_LABEL}），请检查后重新上传。文件类型按内容识别，与扩展名无关。")
        old_files: list[Path] = []
        with transaction.atomic():
            for old in Material.objects.select_for_update().filter(application=application, slot=slot):
                old_files.append(directory / old.stored_name)
                old.delete()
            material = Material.objects.create(
                application=application, slot=slot, stored_name=stored_name,
                original_name=_safe_original_name(upload.name), sha256=digest.hexdigest(), size=size,
                content_type=sniffed.content_type, uploaded_by=user,
            )

            def _remove_old():
                for path in old_files:
                    path.unlink(missing_ok=True)

            transaction.on_commit(_remove_old)
        return material
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def material_remove(material: Material) -> None:
    path = materials_dir() / material.stored_name
    with transaction.atomic():
        material.delete()
        transaction.on_commit(lambda: path.unlink(missing_ok=True))


def material_path(material: Material) -> Path:
    return materials_dir() / material.stored_name
