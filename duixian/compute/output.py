"""Writing subsidy results as JSON (the CONTRACTS §3 objects), CSV or xlsx."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import BinaryIO, TextIO

from duixian.core import spreadsheets

from .command_line import FORMATS  # one list for the renderer and the command's --format
from .engine import BUCKET_LABELS, BUCKETS, Period, SubsidyResult

CSV_COLUMNS = (
    "uscc", "name", "used", "provided", "net",
    *(f"excluded_{b}" for b in BUCKETS),
    "eligible", "reasons", "subsidy_quantity", "needs_review",
)
# Chinese headers for the spreadsheet, in the same order as CSV_COLUMNS.
XLSX_HEADERS = (
    "统一社会信用代码", "单位名称", "算力使用量", "算力被使用量", "净使用量",
    *(f"不计入：{BUCKET_LABELS[b]}" for b in BUCKETS),
    "是否符合条件", "说明", "算力补助量", "待省科技厅确认",
)
REASON_SEPARATOR = "；"
# Columns that hold quantities (decimal strings, `net` may be negative): kept as numbers.
QUANTITY_COLUMNS = frozenset({"used", "provided", "net", "subsidy_quantity", *(f"excluded_{b}" for b in BUCKETS)})


def _flat(result: SubsidyResult) -> dict[str, str]:
    d = result.as_dict()
    row = {k: d[k] for k in ("uscc", "used", "provided", "net", "subsidy_quantity")}
    row["name"] = d["name"] or ""
    row.update({f"excluded_{b}": d["excluded"][b] for b in BUCKETS})
    row["eligible"] = "true" if d["eligible"] else "false"
    row["reasons"] = REASON_SEPARATOR.join(d["reasons"])
    row["needs_review"] = "true" if d["needs_review"] else "false"
    return row


def write_json(results: Sequence[SubsidyResult], out: TextIO) -> None:
    """A JSON array of the CONTRACTS §3 objects, UTF-8 (not ASCII-escaped), indented."""
    json.dump([r.as_dict() for r in results], out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_csv(results: Sequence[SubsidyResult], out: TextIO) -> None:
    """One row per organisation; excluded flattened to excluded_<bucket>; reasons joined by "；"."""
    writer = spreadsheets.CsvWriter(out, numeric=QUANTITY_COLUMNS, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in results:
        writer.writedict(CSV_COLUMNS, _flat(r))


def write_xlsx(results: Sequence[SubsidyResult], out: BinaryIO, *, period: Period | None = None,
               unit: str = "", citation: str = "") -> None:
    """The results as a workbook: one sheet of rows and a 说明 sheet. What the sheet says of the
    notice is the caller's, from the batch's pack (the engine reads no pack): `unit` is the base
    compute unit's name (2026: 卡时; "" leaves the row out), `citation` where the 算力补助量 formula
    is from (2026: 通知三、（一）4; "" cites nothing)."""
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "算力补助"
    ws.append(XLSX_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    quantity_columns = QUANTITY_COLUMNS
    for r in results:
        flat = _flat(r)
        values = []
        for col in CSV_COLUMNS:
            if col in quantity_columns:
                values.append(Decimal(flat[col]))
            elif col == "eligible":
                values.append("是" if r.eligible else "否")
            elif col == "needs_review":
                values.append("是" if r.needs_review else "")
            else:
                values.append(flat[col])
        spreadsheets.append(ws, values)
    for row in ws.iter_rows(min_row=2):
        for col, cell in zip(CSV_COLUMNS, row):
            if col in quantity_columns:
                cell.number_format = "#,##0.######"
    widths = [22, 30, 14, 14, 14, 14, 14, 14, 14, 14, 10, 40, 14, 12]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = width
    ws.freeze_panes = "C2"

    notes = wb.create_sheet("说明")
    notes.append(["项目", "内容"])
    if period is not None:
        spreadsheets.append(notes, ["项目周期（按开始时间，北京时间）",
                      f"{period.start.isoformat()} 至 {period.end.isoformat()}（不含）"])
    if unit:
        notes.append(["计量单位", unit])
    formula = "算力使用量 − 算力被使用量，大于0且单位符合条件时才计补助"
    notes.append(["算力补助量", f"{formula}（{citation}）" if citation else formula])
    notes.append(["单位数", len(results)])
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 80
    spreadsheets.neutralise_workbook(wb)
    wb.save(out)


def render(results: Sequence[SubsidyResult], fmt: str, **xlsx_options) -> bytes:
    """The results in a format, as bytes (UTF-8 for the text formats)."""
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(results, buffer, **xlsx_options)
        return buffer.getvalue()
    text = io.StringIO()
    {"json": write_json, "csv": write_csv}[fmt](results, text)
    return text.getvalue().encode("utf-8")
