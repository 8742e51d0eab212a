"""附件2 兑现申报（汇总）表 (CONTRACTS §4): cell by cell, print-ready, same bytes from browser and CLI."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from docx import Document

from duixian.audit.models import AuditEvent
from duixian.exports.summary import summary_data, summary_docx, summary_xlsx
from duixian.review.models import CityContact

from .conftest import signin

pytestmark = pytest.mark.django_db
HEADERS = ["序号", "项目名称", "依据政策条款", "拟申请兑现金额（万元）", "项目联系人及联系方式"]


def sheet(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def test_xlsx_cell_by_cell(recommended):
    CityContact.objects.create(city_code="340100", contact_name="周经办", contact_phone="0551-63538227")
    ws = sheet(summary_xlsx(summary_data("340100")))
    assert ws["A1"].value == "兑现申报（汇总）表"
    assert ws["A2"].value == "归口管理部门（盖章）：合肥市科技局"
    assert ws["A3"].value == "联系人及联系方式：周经办 0551-63538227"
    assert [c.value for c in ws[4]] == HEADERS
    assert [c.value for c in ws[5]] == [1, "医院影像辅助诊断大模型应用", "2.促进垂类模型应用", 24, "张晓明 13155113928"]
    assert [c.value for c in ws[6]] == [2, "智能制造质检视觉大模型应用", "2.促进垂类模型应用", 100, "李工 0551-65550000"]
    assert ws["A7"].value == "合计" and ws["D7"].value == 124 and ws["E7"].value == "共 2 项"
    assert ws["D5"].number_format == ws["D7"].number_format == "0.00"  # two decimals
    assert "合肥市科技局（盖章）" in ws["D9"].value  # seal area
    assert ws.max_row == 9
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:E1", "A2:E2", "A3:E3", "A7:C7"} <= merged
    # Print-ready: A4 landscape, one page wide, the column header repeated on every page.
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.print_title_rows == "$4:$4"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width
    # Styles are named styles, one per kind of cell.
    assert ws["B5"].style == "dx_td" and ws["D5"].style == "dx_amount" and ws["A4"].style == "dx_th"


def test_contact_line_falls_back_to_the_citys_line_in_annex_1(recommended):
    ws = sheet(summary_xlsx(summary_data("340100")))
    assert ws["A3"].value == "联系人及联系方式：0551-63538227"


def test_an_empty_export_is_a_valid_empty_table(db):
    ws = sheet(summary_xlsx(summary_data("340200")))
    assert ws["A2"].value == "归口管理部门（盖章）：芜湖市科技局"
    assert [c.value for c in ws[4]] == HEADERS
    assert ws["A5"].value == "合计" and ws["D5"].value == 0 and ws["E5"].value == "共 0 项"
    doc = Document(io.BytesIO(summary_docx(summary_data("340200"))))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == HEADERS
    assert len(table.rows) == 2 and table.rows[1].cells[3].text == "0.00"


def test_docx_layout(recommended):
    doc = Document(io.BytesIO(summary_docx(summary_data("340100"))))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "兑现申报（汇总）表"
    assert texts[1] == "归口管理部门（盖章）：合肥市科技局"
    assert texts[2].startswith("联系人及联系方式：")
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == HEADERS
    assert [c.text for c in table.rows[1].cells] == ["1", "医院影像辅助诊断大模型应用", "2.促进垂类模型应用", "24.00",
                                                    "张晓明 13155113928"]
    assert table.rows[3].cells[0].text == "合计" and table.rows[3].cells[3].text == "124.00"
    assert 'w:tblHeader w:val="true"' in table.rows[0]._tr.xml  # header repeats on every page
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape
    assert any("（盖章）" in t for t in texts[3:])


def test_browser_and_command_write_the_same_bytes(client, users, recommended, tmp_path, time_machine):
    signin(client, users["hefei_clerk"])
    for fmt in ("xlsx", "docx"):
        response = client.get(f"/exports/city/340100/summary.{fmt}")
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        time_machine.shift(5)  # a few seconds later: the timestamps must not leak into the file
        out = tmp_path / f"summary.{fmt}"
        call_command("export", "summary", "--city", "340100", "--format", fmt, "--out", str(out))
        assert out.read_bytes() == response.content
    events = AuditEvent.objects.filter(action__startswith="export.summary_")
    assert events.count() == 4
    assert {e.detail["via"] for e in events} == {"web", "cli"}
    assert all(e.detail["rows"] == 2 and e.detail["total_wan"] == "124.00" for e in events)


def test_command_refuses_an_unknown_city(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="未知的地市代码"):
        call_command("export", "summary", "--city", "999999", "--format", "xlsx", "--out", str(tmp_path / "x.xlsx"))


def test_only_recommended_applications_are_listed(recommended):
    data = summary_data("340100")
    assert [r.project_name for r in data.rows] == ["医院影像辅助诊断大模型应用", "智能制造质检视觉大模型应用"]
    assert data.total_wan == Decimal("124.00")


def test_rows_come_from_a_constant_number_of_queries(recommended, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        summary_data("340100")


def test_who_may_download(client, users, recommended):
    signin(client, users["province"])
    assert client.get("/exports/city/340100/summary.xlsx").status_code == 200
    for who in ("wuhu_clerk", "hefei_applicant", "expert"):
        signin(client, users[who])
        assert client.get("/exports/city/340100/summary.xlsx").status_code == 404
    signin(client, users["hefei_clerk"])
    assert client.get("/exports/city/340100/summary.pdf").status_code == 404
