"""Byte-for-byte repeatable Office files and zips.

openpyxl and python-docx stamp the save time into docProps/core.xml and into every zip entry,
so two exports of the same data a second apart differ. We rewrite the archive with one fixed
moment (taken from the data, e.g. the last recommendation), which makes the browser download
and `duixian export summary` produce the same bytes for the same data.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone

from duixian.core.clock import SHANGHAI

_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    local = moment.astimezone(SHANGHAI)
    year = max(local.year, 1980)  # the zip format starts in 1980
    return (year, local.month, local.day, local.hour, local.minute, local.second - local.second % 2)


def stable_ooxml(data: bytes, moment: datetime) -> bytes:
    """Rewrite an xlsx/docx archive with fixed entry times and core-property dates."""
    stamp = moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    when = zip_time(moment)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _STAMP.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()
