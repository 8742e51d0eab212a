"""Keeping checked uploads in the default storage (the local disk under MEDIA_ROOT, or the
S3-compatible bucket when S3_BUCKET is set), the way application materials are kept.

The caller checks the upload first (`duixian.core.uploads.check_upload`, on a temporary copy),
writes the copy here under a random name, then writes its rows in a transaction; if the rows
fail it calls `discard`, so a crash leaves no orphan the database does not point to. Files are
served only through permission-checked views (`open_or_404`); nothing here knows a path.
"""

from __future__ import annotations

import contextlib
import secrets

from django.core.files.storage import default_storage
from django.http import Http404

from duixian.core.uploads import CheckedUpload


def save_checked(folder: str, checked: CheckedUpload) -> str:
    """Write `checked` as `<folder>/<random>.<extension>`; answer the name the storage kept.

    Raises RuntimeError when the storage kept it under another name (it never should: the name
    is random), after deleting what it wrote."""
    wanted = f"{folder}/{secrets.token_hex(16)}.{checked.extension}"
    try:
        saved = default_storage.save(wanted, checked.as_file())
    except BaseException:
        discard(wanted)  # a half-written object, if the storage left one
        raise
    if saved != wanted:
        discard(saved)
        raise RuntimeError(f"storage saved {wanted!r} as {saved!r}")
    return saved


def discard(*names: str) -> None:
    """Delete files written for rows that were never made; the first error is the one to report."""
    for name in names:
        if name:
            with contextlib.suppress(Exception):
                default_storage.delete(name)


def open_or_404(name: str):
    """The stored file open for reading (hand it to FileResponse), or Http404 when it is gone."""
    if not name:
        raise Http404("附件不存在。")
    try:
        return default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("附件不存在。") from None
