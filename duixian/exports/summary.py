"""附件2 兑现申报（汇总）表 of a city's recommended applications, as xlsx and docx (CONTRACTS §4).

The layout follows the notice's sample and the pack's `summary_table`: the title, the header
lines 归口管理部门（盖章）：<city bureau> and 联系人及联系方式：<contact>, then the columns 序号,
项目名称, 依据政策条款, 拟申请兑现金额（万元）, 项目联系人及联系方式, a 合计 row and a seal area.
Both files are print-ready (A4 landscape, one page wide, the column header repeated on every
page, 附件2 above the title on the first page, page numbers, row heights for wrapped names):
they were checked page by page in LibreOffice, see duixian/core/print_layout.py.

The rows come from one query. The same function serves the browser download and
`duixian export summary`, and the files are byte-for-byte repeatable for the same data.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from duixian.applications import policy_bridge
from duixian.core import spreadsheets
from duixian.core.clock import SHANGHAI
from duixian.core.text import docx_property, xml_safe
from duixian.core.print_layout import (
    chinese_language, fixed_table_widths, keep_row_on_one_page, min_row_height, page_number_footer, print_setup, row_height,
)
from duixian.exports.ooxml import save_stable_xlsx, stable_ooxml

TWO = Decimal("0.01")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class SummaryRow:
    number: int
    project_name: str
    clause_cell: str
    amount_wan: Decimal | None
    contact: str
    reference: str = ""
    clause: str = ""


@dataclass(frozen=True)
class SummaryData:
    city_code: str
    bureau: str  # 合肥市科技局
    contact_line: str
    title: str
    header_labels: tuple[str, str]  # 归口管理部门（盖章）：, 联系人及联系方式：
    columns: tuple[str, ...]
    rows: tuple[SummaryRow, ...]
    as_of: datetime  # the last recommendation among the rows: the files' fixed timestamp
    batch_id: str = ""  # the batch (pack) whose recommendations these are

    @property
    def total_wan(self) -> Decimal:
        return sum((r.amount_wan for r in self.rows if r.amount_wan is not None), Decimal("0")).quantize(TWO)

    @property
    def header_lines(self) -> tuple[str, str]:
        return (f"{self.header_labels[0]}{self.bureau}", f"{self.header_labels[1]}{self.contact_line}")


def clause_cell(pack, clause, application_type: str = "") -> str:
    """`2.促进垂类模型应用`: the pack's summary_table.clause_cell pattern over the clause; clause 五
    says which kind (`5.支持产业集聚发展（创建）` / `（绩效评价）`)."""
    return pack.summary_table.cell(pack.clause(int(clause)), application_type)


def _contact(name: str, phone: str) -> str:
    return " ".join(part for part in (name.strip(), phone.strip()) if part)


def summary_data(city_code: str, *, pack=None) -> SummaryData:
    """Everything the 汇总表 of one batch (`pack`, the default batch without it) shows for a city,
    read in one query for the rows."""
    from duixian.review.selectors import (
        city_bureau_name, city_contact_line, last_recommendation_at, recommended_by_city,
    )

    pack = pack or policy_bridge.get_pack()
    table = pack.summary_table
    # Everything the city recommended, whatever the province did since (a recorded fact, not
    # the current state): the file stays the one the bureau stamped.
    qs = recommended_by_city(city_code, pack.batch_id)
    cells: dict[tuple[str, str], str] = {}
    rows = []
    for n, (pk, reference, name, clause, app_type, amount, contact_name, contact_phone) in enumerate(
            qs.values_list("pk", "reference", "project_name", "clause", "application_type", "amount_requested_wan",
                           "contact_name", "contact_phone"), start=1):
        if (clause, app_type) not in cells:
            cells[clause, app_type] = clause_cell(pack, clause, app_type)
        rows.append(SummaryRow(n, name, cells[clause, app_type], amount.quantize(TWO) if amount is not None else None,
                               _contact(contact_name, contact_phone), reference or "", clause))
    last = last_recommendation_at(city_code, pack.batch_id)
    as_of = last or datetime.combine(pack.notice_date, time(0, 0), tzinfo=SHANGHAI)
    labels = tuple(table.header_lines) + ("归口管理部门（盖章）：", "联系人及联系方式：")[len(table.header_lines):]
    return SummaryData(
        city_code=city_code, bureau=city_bureau_name(city_code, pack), contact_line=city_contact_line(city_code, pack),
        title=table.title, header_labels=(labels[0], labels[1]), columns=tuple(table.columns),
        rows=tuple(rows), as_of=as_of, batch_id=pack.batch_id,
    )


# ---- xlsx ------------------------------------------------------------------------------------

# In Excel column units; fits A4 landscape at 100 %. The amount column is wide enough for its
# header on one line (a narrower one breaks it as "拟申请兑现金额（万元" / "）").
COLUMN_WIDTHS = (6, 46, 24, 24, 28)
# The Word table's columns in millimetres at 10.5 pt (五号), 项目名称 taking what is left of the
# 257 mm between the margins: each header fits on one line.
DOCX_COLUMN_MM = (13, None, 42, 46, 52)
DOCX_TABLE_PT = 10.5
ATTACHMENT_LABEL = "附件2"  # printed above the title on the first page, as in the notice's sample


def _styles():
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    song = "宋体"
    return [
        NamedStyle("dx_title", font=Font(name="方正小标宋简体", size=18),
                   alignment=Alignment(horizontal="center", vertical="center")),
        NamedStyle("dx_header_line", font=Font(name=song, size=12), alignment=Alignment(horizontal="left", vertical="center")),
        NamedStyle("dx_th", font=Font(name="黑体", size=11), border=box,
                   alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
        NamedStyle("dx_td", font=Font(name=song, size=11), border=box,
                   alignment=Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)),
        NamedStyle("dx_td_center", font=Font(name=song, size=11), border=box,
                   alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
        NamedStyle("dx_amount", font=Font(name=song, size=11), border=box, number_format="0.00",
                   alignment=Alignment(horizontal="right", vertical="center", indent=1)),
        NamedStyle("dx_total", font=Font(name="黑体", size=11), border=box,
                   alignment=Alignment(horizontal="center", vertical="center")),
        NamedStyle("dx_total_amount", font=Font(name="黑体", size=11), border=box, number_format="0.00",
                   alignment=Alignment(horizontal="right", vertical="center", indent=1)),
        NamedStyle("dx_seal", font=Font(name=song, size=12),
                   alignment=Alignment(horizontal="left", vertical="center", wrap_text=True)),
        NamedStyle("dx_seal_center", font=Font(name=song, size=12),
                   alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
    ]


def _indexed_style_cell_class():
    from openpyxl.cell.cell import Cell

    class IndexedStyleCell(Cell):
        """A write-only cell whose style is an index resolved once from a named style."""

        __slots__ = ("_style_index",)

        @property
        def style_id(self):
            return self._style_index

        @property
        def has_style(self):
            return True

        def __repr__(self):  # the write-only worksheet formats it once per cell; keep it cheap
            return "<IndexedStyleCell>"

    return IndexedStyleCell


_IndexedStyleCell = None


def summary_xlsx(data: SummaryData) -> bytes:
    """The 汇总表 as an xlsx workbook (write-only: rows stream, styles are named, not per-cell objects)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    global _IndexedStyleCell
    if _IndexedStyleCell is None:
        _IndexedStyleCell = _indexed_style_cell_class()
    wb = Workbook(write_only=True)
    for style in _styles():
        wb.add_named_style(style)
    wb.properties.title = data.title
    wb.properties.creator = data.bureau
    ws = wb.create_sheet(data.title[:31])
    last_col = get_column_letter(len(data.columns))
    widths = COLUMN_WIDTHS[: len(data.columns)]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    # Print: A4 landscape, one page wide, the column header repeated on every page, page numbers,
    # 附件2 above the title on the first page (in the page header, so the cells keep their places).
    print_setup(ws, title_rows="4:4")
    ws.HeaderFooter.differentFirst = True
    ws.firstHeader.left.text = ATTACHMENT_LABEL
    ws.firstHeader.left.font = "黑体,Regular"
    ws.firstHeader.left.size = 16
    ws.firstFooter.center.text = ws.oddFooter.center.text
    ws.freeze_panes = "A5"

    # Each named style is resolved once into its index in the workbook's cell styles; every
    # cell of that kind then carries the index (a named-style lookup and a style hash per cell
    # cost more than writing the cell).
    index: dict[str, int] = {}

    def cell(value, style):
        sid = index.get(style)
        if sid is None:
            probe = WriteOnlyCell(ws)
            probe.style = style
            sid = index[style] = probe.style_id
        c = _IndexedStyleCell(ws, column=1, row=1, value=spreadsheets.cell_value(value))
        c._style_index = sid
        return c

    def placed(cells, row_idx):
        # Every cell we append is already a styled cell: place it instead of letting the
        # worksheet try (and fail) to bind it as a plain value first.
        for col_idx, c in enumerate(cells, 1):
            if c is None:
                continue
            c.column, c.row = col_idx, row_idx
            yield c

    ws._values_to_row = placed  # this one worksheet object only

    for row in (1, 2, 3):
        ws.merged_cells.add(f"A{row}:{last_col}{row}")
    ws.row_dimensions[1].height = 40
    ws.append([cell(data.title, "dx_title")])
    for n, line in enumerate(data.header_lines, start=2):
        ws.row_dimensions[n].height = 24
        ws.append([cell(line, "dx_header_line")])
    ws.row_dimensions[4].height = row_height(list(zip(data.columns, widths)), minimum=32)
    ws.append([cell(title, "dx_th") for title in data.columns])
    styles = ("dx_td_center", "dx_td", "dx_td_center", "dx_amount", "dx_td")
    name_width, clause_width, contact_width = widths[1], widths[2], widths[4]
    # Wrapped cells do not grow by themselves on paper: store each row's height. The write-only
    # worksheet copies a row's dimension into <row> as attributes, so a shared plain mapping per
    # height does (a RowDimension object per row costs more than the row's cells).
    row_attrs: dict[float, dict[str, str]] = {}
    for n, r in enumerate(data.rows, start=5):
        height = row_height(((r.project_name, name_width), (r.clause_cell, clause_width), (r.contact, contact_width)))
        attrs = row_attrs.get(height)
        if attrs is None:
            attrs = row_attrs[height] = {"ht": str(height), "customHeight": "1"}
        ws.row_dimensions[n] = attrs
        ws.append([cell(value, style) for value, style in zip(
            (r.number, r.project_name, r.clause_cell, r.amount_wan, r.contact), styles)])
    total_row = 5 + len(data.rows)
    ws.merged_cells.add(f"A{total_row}:C{total_row}")
    ws.row_dimensions[total_row].height = 24
    ws.append([cell("合计", "dx_total"), cell(None, "dx_total"), cell(None, "dx_total"),
               cell(data.total_wan, "dx_total_amount"), cell(f"共 {len(data.rows)} 项", "dx_total")])
    ws.append([None])
    seal_row = total_row + 2
    ws.merged_cells.add(f"A{seal_row}:C{seal_row}")
    ws.merged_cells.add(f"D{seal_row}:{last_col}{seal_row}")
    ws.row_dimensions[seal_row].height = 72  # room for the round seal over the bureau's name
    ws.append([cell("经办人：                审核人：", "dx_seal"), None, None,
               cell(f"{data.bureau}（盖章）\n年    月    日", "dx_seal_center")])
    return save_stable_xlsx(wb, data.as_of)


# ---- docx ------------------------------------------------------------------------------------


def _set_east_asian_font(style_or_run, name: str) -> None:
    from docx.oxml.ns import qn

    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), name)
    fonts.set(qn("w:hAnsi"), name)


def landscape_document(title: str, author: str, as_of: datetime):
    """A python-docx Document on A4 landscape with 宋体 as the body font."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    doc = Document()
    chinese_language(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(18)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    _set_east_asian_font(normal, "宋体")
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = docx_property(title), docx_property(author), docx_property(author)
    props.comments = ""
    props.created = props.modified = as_of.astimezone(SHANGHAI).replace(tzinfo=None)
    return doc


def _repeat_header(row) -> None:
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))


def _amount_text(value: Decimal | None) -> str:
    return f"{value:.2f}" if value is not None else "—"


def _cell_text(cell, text: str, align=None, font: str | None = None) -> None:
    from docx.enum.table import WD_ALIGN_VERTICAL
    from docx.shared import Pt

    cell.text = text
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    paragraph = cell.paragraphs[0]
    if align is not None:
        paragraph.alignment = align
    for run in paragraph.runs:
        run.font.size = Pt(DOCX_TABLE_PT)
        if font:
            _set_east_asian_font(run, font)


def _docx_widths(text_width: int, count: int) -> list[int]:
    from docx.shared import Mm

    fixed = [Mm(w) if w else None for w in DOCX_COLUMN_MM[:count]]
    rest = text_width - sum(w for w in fixed if w)
    return [int(w) if w else int(rest) for w in fixed]


def summary_docx(data: SummaryData) -> bytes:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt

    data = xml_safe(data)  # rows stored before the input rule may hold control characters
    doc = landscape_document(data.title, data.bureau, data.as_of)
    section = doc.sections[0]
    # 附件2 above the title on the first page, page numbers on every page.
    section.different_first_page_header_footer = True
    label = section.first_page_header.paragraphs[0].add_run(ATTACHMENT_LABEL)
    label.font.size = Pt(16)
    _set_east_asian_font(label, "黑体")
    page_number_footer(section.footer)
    page_number_footer(section.first_page_footer)
    text_width = section.page_width - section.left_margin - section.right_margin

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(12)
    run = title.add_run(data.title)
    run.font.size = Pt(20)
    run.bold = True
    _set_east_asian_font(run, "方正小标宋简体")
    for line in data.header_lines:
        p = doc.add_paragraph(line)
        p.paragraph_format.space_after = Pt(6)
    table = doc.add_table(rows=1, cols=len(data.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = _docx_widths(text_width, len(data.columns))
    center, left, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT
    header = table.rows[0]
    _repeat_header(header)
    min_row_height(header, Mm(11))
    for cell, text in zip(header.cells, data.columns):
        _cell_text(cell, text, center, font="黑体")
    aligns = (center, left, center, right, left)
    for r in data.rows:
        row = table.add_row()
        min_row_height(row, Mm(9))
        keep_row_on_one_page(row)
        values = (str(r.number), r.project_name, r.clause_cell, _amount_text(r.amount_wan), r.contact)
        for cell, value, align in zip(row.cells, values, aligns):
            _cell_text(cell, value, align)
    total_row = table.add_row()
    min_row_height(total_row, Mm(9))
    keep_row_on_one_page(total_row)
    total = total_row.cells
    merged = total[0].merge(total[2])
    _cell_text(merged, "合计", center, font="黑体")
    _cell_text(total[3], _amount_text(data.total_wan), right, font="黑体")
    _cell_text(total[4], f"共 {len(data.rows)} 项", center, font="黑体")
    from docx.shared import Emu

    fixed_table_widths(table, [Emu(w) for w in widths])

    # Signatures on the left, the bureau's seal and the date centred under each other on the right.
    seal_axis = Emu(int(text_width - widths[-1] * 0.8))
    seal = doc.add_paragraph(f"经办人：\t审核人：\t{data.bureau}（盖章）")
    seal.paragraph_format.space_before = Pt(30)
    seal.paragraph_format.tab_stops.add_tab_stop(Mm(60))
    seal.paragraph_format.tab_stops.add_tab_stop(seal_axis, WD_TAB_ALIGNMENT.CENTER)
    date = doc.add_paragraph("\t年    月    日")
    date.paragraph_format.space_before = Pt(12)
    date.paragraph_format.tab_stops.add_tab_stop(seal_axis, WD_TAB_ALIGNMENT.CENTER)
    buffer = io.BytesIO()
    doc.save(buffer)
    return stable_ooxml(buffer.getvalue(), data.as_of)


def summary_file(city_code: str, fmt: str, pack=None) -> tuple[bytes, SummaryData]:
    data = summary_data(city_code, pack=pack)
    if fmt == "xlsx":
        return summary_xlsx(data), data
    if fmt == "docx":
        return summary_docx(data), data
    raise ValueError(f"不支持的格式：{fmt}（可选 xlsx、docx）")


def summary_filename(data: SummaryData, fmt: str) -> str:
    return f"{data.bureau}-{data.title}.{fmt}"
