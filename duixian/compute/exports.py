"""The province's downloads of a run: the subsidy list (xlsx, Chinese headers) and a
per-organisation statement (docx, python-docx). Both read only stored results."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import translation

from duixian.core import spreadsheets
from duixian.core.clock import SHANGHAI

from .engine import BUCKET_LABELS, BUCKETS, format_decimal
from .selectors import compute_money, subsidy_amount_yuan

def list_headers(unit: str) -> tuple[str, ...]:
    """The list's columns, quantities in the pack's base compute unit (2026: 卡时)."""
    return (
        "序号", "统一社会信用代码", "单位名称", f"算力使用量（{unit}）", f"算力被使用量（{unit}）", f"净使用量（{unit}）",
        *(f"不计入：{BUCKET_LABELS[b]}（{unit}）" for b in BUCKETS),
        "是否符合条件", "说明", f"算力补助量（{unit}）", "补助金额（元）", "金额说明", "单位回复",
    )


# Column widths of the list (Excel units): numbers narrow with wrapped headers, text wider.
LIST_WIDTHS = (5, 24, 22, *(10,) * 8, 8, 30, 10, 12, 24, 9)


def _q(value: Decimal) -> str:
    return format_decimal(value)


def _num(value: Decimal) -> Decimal:
    """A number cell (openpyxl writes Decimal as a number), without trailing zeros."""
    return Decimal(format_decimal(value))


def _amount_cells(result, pack) -> tuple[str, str]:
    yuan = subsidy_amount_yuan(result.subsidy_quantity, pack)
    with translation.override("zh-hans"):  # the note is lazy; the export's wording stays Chinese
        note = str(yuan.note)
    if yuan.amount is None:
        return "待确认", note
    text = f"{yuan.amount:.2f}"
    return (text if yuan.confirmed else f"{text}（未确认）"), note


def _local(moment) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y年%-m月%-d日 %H:%M") if moment else ""


def _period_text(run) -> str:
    from datetime import timedelta

    start = run.period_start.astimezone(SHANGHAI).date()
    last = (run.period_end.astimezone(SHANGHAI) - timedelta(seconds=1)).date()
    return f"{start:%Y年%-m月%-d日}至{last:%Y年%-m月%-d日}"


def subsidy_list_xlsx(run, results, pack) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    from duixian.core.print_layout import print_setup, row_height

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    text = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
    number = Alignment(horizontal="right", vertical="center", indent=1)
    headers = list_headers(compute_money(pack).base_unit)
    wb = Workbook()
    ws = wb.active
    ws.title = "算力补助名单"
    title = f"算力补助（免申即享）名单 · 计算#{run.pk}"
    spreadsheets.append(ws, [title])
    ws["A1"].font = Font(bold=True, size=14)
    state = f"已于{_local(run.published_at)}发布，异议期至{run.objection_last_day:%Y年%-m月%-d日}" \
        if run.published_at else "未发布（审核中）"
    spreadsheets.append(ws, [f"项目周期：{_period_text(run)}（按开始时间，北京时间）；计算完成：{_local(run.finished_at)}；{state}"])
    for row in (1, 2):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(headers))
        ws.cell(row, 1).alignment = Alignment(vertical="center")
    ws.row_dimensions[1].height = 28
    ws.row_dimensions[2].height = 20
    ws.append(list(headers))
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = box
    ws.row_dimensions[3].height = row_height(list(zip(headers, LIST_WIDTHS)), minimum=30)
    for n, r in enumerate(results, start=1):
        amount, note = _amount_cells(r, pack) if r.subsidy_quantity > 0 else ("0.00", "")
        values = [
            n, r.uscc, r.name, *(_num(x) for x in (r.used, r.provided, r.net)),
            *(_num(getattr(r, f"excluded_{b}")) for b in BUCKETS),
            "是" if r.eligible else "否", "；".join(r.reasons), _num(r.subsidy_quantity), amount, note,
            r.get_response_display() if run.published_at else "",
        ]
        values = spreadsheets.row(values)
        ws.append(values)
        for cell, value in zip(ws[ws.max_row], values):
            cell.alignment = text if isinstance(value, str) else number
            cell.border = box
        ws.row_dimensions[ws.max_row].height = row_height(
            [(v, w) for v, w in zip(values, LIST_WIDTHS) if isinstance(v, str)])
    for i, w in enumerate(LIST_WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=3, column=i).column_letter].width = w
    ws.freeze_panes = "D4"
    # Nineteen columns: A3 landscape, one page wide, the header row on every page.
    print_setup(ws, title_rows="3:3", margins=(0.4, 0.4, 0.5, 0.6))
    ws.page_setup.paperSize = "8"  # A3
    return spreadsheets.xlsx_bytes(wb)


def _basis(pack) -> str:
    """The 免申即享 clause as the statement cites it, all from the pack: the policy text its
    sentences quote (`document`), the clause's name (`display.clause_name`) and short title."""
    number = compute_money(pack).clause
    if number is None:
        return ""
    clause = pack.clause(number)
    document = next((s.document for s in pack.sentences if s.document), "")
    return f"{document}{pack.clause_name(number)}“{clause.short_title}”"


def statement_docx(result, breakdown: dict, pack, names: dict[str, str]) -> bytes:
    """对账单: one organisation's result with its reasons and its breakdown by month and provider."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from duixian.core.text import strip_control
    from duixian.core.print_layout import a4_document, grid_table, set_east_asian_font

    run = result.run
    doc = a4_document(title="算力补助（免申即享）结果告知单", author="安徽省科学技术厅")
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    t = title.add_run("算力补助（免申即享）结果告知单")
    t.bold = True
    t.font.size = Pt(18)
    set_east_asian_font(t, "黑体")
    doc.add_paragraph(strip_control(f"单位名称：{result.name or '（未登记）'}"))
    doc.add_paragraph(strip_control(f"统一社会信用代码：{result.uscc}"))
    doc.add_paragraph(f"依据：{_basis(pack)}（免申即享）；计算#{run.pk}；"
                      f"项目周期：{_period_text(run)}（按作业开始时间，北京时间）。")
    if run.published_at:
        doc.add_paragraph(f"发布时间：{_local(run.published_at)}；确认与异议期至"
                          f"{run.objection_last_day:%Y年%-m月%-d日} 24:00。")

    amount, note = _amount_cells(result, pack) if result.subsidy_quantity > 0 else ("0.00", "")
    unit = compute_money(pack).base_unit
    grid_table(doc, [
        ("算力使用量（使用平台算力量）", f"{_q(result.used)} {unit}"),
        ("算力被使用量（接入平台算力量）", f"{_q(result.provided)} {unit}"),
        ("净使用量（使用量−被使用量）", f"{_q(result.net)} {unit}"),
        *((f"不计入：{BUCKET_LABELS[b]}", f"{_q(getattr(result, f'excluded_{b}'))} {unit}") for b in BUCKETS),
        ("是否符合条件", "符合" if result.eligible else "不符合"),
        ("说明", "；".join(result.reasons) or "—"),
        ("算力补助量", f"{_q(result.subsidy_quantity)} {unit}"),
        ("补助金额（元）", f"{amount}{'；' + note if note else ''}"),
    ], (5, 6))

    doc.add_heading("按月份（北京时间）", level=2)
    grid_table(doc, [
        (m["month"], m["used"], m["provided"], format_decimal(sum(Decimal(v) for v in m["excluded"].values())))
        for m in breakdown.get("months", [])
    ], (1, 1, 1, 1), header=("月份", "算力使用量", "算力被使用量", "不计入"))

    doc.add_heading("按算力提供方", level=2)
    grid_table(doc, [
        (p["uscc"], names.get(p["uscc"], "—"), p["used"], format_decimal(sum(Decimal(v) for v in p["excluded"].values())))
        for p in breakdown.get("providers", [])
    ], (26, 27, 11, 11), header=("统一社会信用代码", "单位名称", "算力使用量", "不计入"))  # an 18-character USCC on one line

    doc.add_paragraph("")
    doc.add_paragraph("本告知单由通用人工智能政策兑现平台根据省级智能算力统筹调度平台的计量数据生成。"
                      "如对结果有异议，请在异议期内登录平台提出，并附证明材料。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
