"""附件2 汇总表 on paper: what a clerk sees when the xlsx/docx is printed.

Checked through openpyxl / python-docx only (the properties the office suites print from); the
files were looked at page by page in LibreOffice when this layout was made.
"""

import io
from datetime import datetime
from decimal import Decimal

import openpyxl
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from duixian.core.clock import SHANGHAI
from duixian.core.print_layout import row_height, wrapped_lines
from duixian.exports.summary import SummaryData, SummaryRow, summary_docx, summary_xlsx

LONG = "基于多模态大模型的城市轨道交通运维智能巡检与故障预测系统在合肥地铁三号线的示范应用项目"
COLUMNS = ("序号", "项目名称", "依据政策条款", "拟申请兑现金额（万元）", "项目联系人及联系方式")


def data(n: int = 3) -> SummaryData:
    names = ["智能客服", LONG, "医院影像辅助诊断大模型应用"]
    rows = tuple(
        SummaryRow(i, names[(i - 1) % 3] + (f"（{i}）" if i > 3 else ""), "2.促进垂类模型应用", Decimal("24.00"),
                   "欧阳文博 0551-65550000 / 13900001111" if i % 3 == 0 else "张晓明 13155113928")
        for i in range(1, n + 1))
    return SummaryData(city_code="340100", bureau="合肥市科技局", contact_line="0551-63538227",
                       title="兑现申报（汇总）表", header_labels=("归口管理部门（盖章）：", "联系人及联系方式："),
                       columns=COLUMNS, rows=rows, as_of=datetime(2026, 4, 28, 10, 0, tzinfo=SHANGHAI))


def test_wrapped_line_estimate():
    assert wrapped_lines("智能客服", 46) == 1
    assert wrapped_lines(LONG, 46) == 3  # 43 汉字, about 21 to a line in a 46-unit column
    assert wrapped_lines("第一行\n第二行", 46) == 2
    assert wrapped_lines("", 46) == 1
    # A Latin word is not split across lines when it fits on the next one.
    assert wrapped_lines("一二三四五六七八 Tutor-X", 20) == 2
    assert row_height([("智能客服", 46)]) < row_height([(LONG, 46)])


def test_xlsx_long_names_get_taller_rows_and_wrap():
    ws = openpyxl.load_workbook(io.BytesIO(summary_xlsx(data()))).active
    assert ws["B6"].value == LONG
    short, long_, contact_two_lines = (ws.row_dimensions[r].height for r in (5, 6, 7))
    assert long_ >= 3 * 14 and long_ > short  # three lines of 11 pt, not overprinting the next row
    assert contact_two_lines > short  # the long contact wraps too
    for ref in ("B6", "C6", "E6", "A4", "D4"):
        assert ws[ref].alignment.wrap_text, ref
    assert ws.row_dimensions[4].height >= 32
    # Every row has a height stored (spreadsheets do not grow printed rows by themselves).
    assert all(ws.row_dimensions[r].height for r in range(1, 9))


def test_xlsx_prints_on_a4_landscape_one_page_wide_with_titles_and_page_numbers():
    ws = openpyxl.load_workbook(io.BytesIO(summary_xlsx(data(60)))).active
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0  # as many pages tall as needed
    assert ws.print_title_rows == "$4:$4"
    assert ws.print_options.horizontalCentered
    widths = [ws.column_dimensions[c].width for c in "ABCDE"]
    assert widths[1] == max(widths) and widths[0] == min(widths)
    # The whole table fits across the printable width of A4 landscape at 100 % (no shrinking
    # text to unreadable sizes): 297 mm less margins, in Excel units of about 7 px at 96 dpi.
    printable_px = (297 / 25.4 - ws.page_margins.left - ws.page_margins.right) * 96
    assert sum(w * 7 + 5 for w in widths) <= printable_px
    # 附件2 above the title on the first page; page numbers on the first and on the following pages.
    assert ws.HeaderFooter.differentFirst
    assert ws.firstHeader.left.text == "附件2"
    assert "&P" in ws.firstFooter.center.text and "&N" in ws.oddFooter.center.text
    assert not ws.oddHeader.left.text  # only the first page carries the attachment label
    # The seal area: the bureau and the date centred under each other, room for the seal.
    seal = ws.max_row
    assert ws[f"D{seal}"].value == "合肥市科技局（盖章）\n年    月    日"
    assert ws[f"D{seal}"].alignment.horizontal == "center" and ws.row_dimensions[seal].height >= 60
    total = ws.max_row - 2
    assert ws[f"A{total}"].value == "合计" and ws[f"D{total}"].value == Decimal("1440") and ws[f"E{total}"].value == "共 60 项"


def _grid_mm(table):
    return [round(int(c.get(qn("w:w"))) / 56.7) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def test_docx_columns_fit_their_headers_and_the_page():
    doc = Document(io.BytesIO(summary_docx(data(30))))
    section = doc.sections[0]
    table = doc.tables[0]
    grid = _grid_mm(table)
    text_width_mm = round((section.page_width - section.left_margin - section.right_margin) / Mm(1))
    assert abs(sum(grid) - text_width_mm) <= 1  # the table spans the page, no more
    assert grid[0] == min(grid) >= 12 and grid[1] == max(grid)  # 序号 narrow, 项目名称 widest
    # A fixed layout: Word, WPS and LibreOffice all use these widths instead of equal columns.
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    # Each header fits on one line at 五号: about 3.7 mm a character plus the cell margins.
    for title, width in zip(COLUMNS, grid):
        if title != "项目名称":
            assert len(title) * 3.7 + 3.8 <= width, title
    assert all(run.font.size.pt == 10.5 for cell in table.rows[1].cells for run in cell.paragraphs[0].runs)
    # The header row repeats; a data row is never split across two pages.
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows[1:])
    assert [c.text for c in table.rows[-1].cells][3:] == ["720.00", "共 30 项"]


def test_docx_first_page_label_and_page_numbers():
    doc = Document(io.BytesIO(summary_docx(data())))
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == "附件2"
    assert not "".join(p.text for p in section.header.paragraphs)
    for footer in (section.first_page_footer, section.footer):
        xml = footer._element.xml
        assert "PAGE" in xml and "NUMPAGES" in xml
        assert footer.paragraphs[0].text.startswith("第 ")
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "兑现申报（汇总）表"  # the title still comes first in the body (CONTRACTS §4)
    at = next(i for i, t in enumerate(texts) if t.startswith("经办人："))
    seal, date = doc.paragraphs[at], doc.paragraphs[at + 1]
    assert seal.text == "经办人：\t审核人：\t合肥市科技局（盖章）"
    # The bureau and the date are centred on the same tab stop.
    assert seal.paragraph_format.tab_stops[-1].position == date.paragraph_format.tab_stops[-1].position
    assert date.text.strip() == "年    月    日"
