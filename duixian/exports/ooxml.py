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


class _StableZipFile(zipfile.ZipFile):
    """A zip writer that stamps every entry with one fixed time (no rewrite pass needed)."""

    def __init__(self, *args, date_time, **kwargs):
        super().__init__(*args, **kwargs)
        self._fixed_time = date_time

    def _info(self, name: str) -> zipfile.ZipInfo:
        entry = zipfile.ZipInfo(name, date_time=self._fixed_time)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o600 << 16
        return entry

    def writestr(self, zinfo_or_arcname, data, *args, **kwargs):
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        return super().writestr(self._info(name), data)

    def write(self, filename, arcname=None, *args, **kwargs):
        with open(filename, "rb") as source, self.open(self._info(arcname or str(filename)), "w") as target:
            while chunk := source.read(1024 * 1024):
                target.write(chunk)


def save_stable_xlsx(workbook, moment: datetime) -> bytes:
    """Save an openpyxl workbook with `moment` as its save time, in one pass."""
    from openpyxl.writer.excel import ExcelWriter

    local_utc = moment.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)
    workbook.properties.created = workbook.properties.modified = local_utc
    buffer = io.BytesIO()
    archive = _StableZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True, date_time=zip_time(moment))
    ExcelWriter(workbook, archive).save()  # closes the archive
    return buffer.getvalue()
