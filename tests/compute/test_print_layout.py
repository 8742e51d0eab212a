"""The province's compute downloads on paper: the subsidy list (xlsx) and the 结果告知单 (docx)."""

import io

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import load_workbook

from tests.compute.test_pages import HEFEI, frozen, run  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_subsidy_list_prints_one_page_wide_on_a3_landscape(client, login, users, run):  # noqa: F811
    response = login(client, users["province"]).get(reverse("compute:run_export", args=[run.pk]))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "8"  # A3: 19 columns
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$3:$3" and "&P" in ws.oddFooter.center.text
    # An 18-character credit code stays on one line; the reasons wrap inside their cell.
    uscc_col = [c.value for c in ws[3]].index("统一社会信用代码") + 1
    reasons_col = [c.value for c in ws[3]].index("说明") + 1
    assert ws.column_dimensions[ws.cell(3, uscc_col).column_letter].width >= 18 * 1.2 + 1.5
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, reasons_col).value)
    assert ws.cell(row, reasons_col).alignment.wrap_text
    assert ws.cell(row, 1).border.left.style == "thin" and ws.row_dimensions[row].height >= 22


def test_statement_is_a4_with_fixed_columns_and_page_numbers(client, login, users, run):  # noqa: F811
    result = run.results.get(uscc=HEFEI)
    response = login(client, users["province"]).get(reverse("compute:result_statement", args=[result.pk]))
    doc = Document(io.BytesIO(response.content))
    section = doc.sections[0]
    assert [round(x / Mm(1)) for x in (section.page_width, section.page_height)] == [210, 297]  # not US Letter
    assert "PAGE" in section.footer._element.xml
    providers = doc.tables[-1]
    assert providers.rows[0].cells[0].text == "统一社会信用代码"
    assert providers._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    grid = [int(c.get(qn("w:w"))) / 56.7 for c in providers._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid[0] >= 18 * 2.2 + 3.8  # mm: the credit code on one line
    headings = [p for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings and all(p.style.font.color.rgb == (0, 0, 0) for p in headings)  # black, not Word's blue
