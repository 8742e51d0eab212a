"""The applicant's Word downloads on paper: A4, Chinese fonts, columns that fit, page numbers."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from duixian.applications.docs import application_summary_docx

from .conftest import signin

pytestmark = pytest.mark.django_db


def _a4_with_page_numbers(doc):
    section = doc.sections[0]
    assert [round(x / Mm(1)) for x in (section.page_width, section.page_height)] == [210, 297]  # not US Letter
    assert "PAGE" in section.footer._element.xml
    assert 'w:eastAsia="宋体"' in doc.styles["Normal"].element.xml


def _grid_mm(table):
    return [int(c.get(qn("w:w"))) / 56.7 for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def test_material_template_prints_on_a4_with_a_wide_material_column(client, users):
    signin(client, users["hefei_applicant"])
    doc = Document(io.BytesIO(client.get("/applications/templates/2.docx").content))
    _a4_with_page_numbers(doc)
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["序号", "材料名称", "要求"]
    # each slot says where it stands: the 申报书 is 必须, the rest 待省科技厅确认 (not asked by the notice)
    assert [c.text for c in table.rows[1].cells][1:3] == ["兑现申报书（“安徽科技大脑”平台下载填报）", "必须"]
    assert [c.text for c in table.rows[2].cells][2] == "待省科技厅确认"
    grid = _grid_mm(table)
    assert grid[1] == max(grid) and grid[0] == min(grid)
    assert grid[2] >= 4 * 3.9 + 3.8  # four characters (必须 or 待省科技厅确认 wrapped in two) per line
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_application_summary_sizes_and_columns(complete_draft):
    doc = Document(io.BytesIO(application_summary_docx(complete_draft)))
    _a4_with_page_numbers(doc)
    materials = doc.tables[-1]
    assert [c.text for c in materials.rows[0].cells] == ["材料", "文件名", "大小", "SHA-256"]
    sizes = {row.cells[2].text for row in materials.rows[1:]}
    assert sizes and "0 KB" not in sizes  # a small file is 1 KB, not 0 KB
    assert _grid_mm(materials)[3] >= 17 * 2.1 + 3.8  # the shortened digest on one line
