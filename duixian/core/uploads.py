"""Checking an uploaded attachment: its size, and its type judged from the content, not the name."""

from __future__ import annotations

import filetype

IMAGES_AND_PDF = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


class UploadRefused(Exception):
    """The Chinese message says what is wrong with the file and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_checked_upload(upload, *, max_bytes: int, allowed: dict[str, str] = IMAGES_AND_PDF) -> tuple[bytes, str, str]:
    """Read the whole file and answer (content, extension, content type), or raise UploadRefused."""
    name = getattr(upload, "name", "") or ""
    too_big = UploadRefused(f"附件“{name}”超过 {max_bytes // (1024 * 1024)}MB，请压缩后再上传。")
    if upload.size > max_bytes:
        raise too_big
    content = b"".join(upload.chunks())
    if len(content) > max_bytes:  # the declared size can lie
        raise too_big
    kind = filetype.guess(content)
    if kind is None or kind.extension not in allowed:
        kinds = [ext.upper() for ext in allowed]
        names = "、".join(kinds[:-1]) + " 或 " + kinds[-1] if len(kinds) > 1 else kinds[0]
        raise UploadRefused(f"附件“{name}”不是 {names} 文件（按文件内容判断），不能上传。")
    return content, kind.extension, allowed[kind.extension]
