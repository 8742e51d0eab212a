"""Recommendation is a fact that outlives the province's later steps (issue 15, item 1).

The city's 汇总表, 推荐函, materials package and work-list counter list every application the
city recommended, whatever the province did next; the clerk's 汇总表 is the same bytes before
and after the province decides, publishes and pays.
"""

import io
import zipfile
from datetime import date

import openpyxl
import pytest
from django.core.management import call_command
from docx import Document

from duixian.applications.workflow import application_transition
from duixian.exports.letter import letter_file
from duixian.exports.materials import materials_zip
from duixian.exports.summary import summary_data, summary_file

from .conftest import at, signin

pytestmark = pytest.mark.django_db


def _province_decides_publishes_pays(first, second, users, time_machine):
    from duixian.decisions.services import decision_approve, decision_reject, funding_record, publication_create

    province = users["province"]
    time_machine.move_to(at("2026-05-20 10:00:00"), tick=False)
    decision_approve(first, amount="24", user=province, without_panel_reason="测试：专家组已线下评审")
    decision_reject(second, reason="示范效果不明显", user=province)
    time_machine.move_to(at("2026-06-18 10:00:00"), tick=False)
    first.refresh_from_db()
    publication_create(applications=[first], working_days=5, title="公示", user=province)
    time_machine.move_to(at("2026-06-30 10:00:00"), tick=False)
    funding_record(first, kind="allocation", on_date=date(2026, 6, 30), amount="24", voucher="皖财2026-1",
                   user=province)
    funding_record(first, kind="payment", on_date=date(2026, 6, 30), amount="24", voucher="PZ-1", user=province)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == "paid" and second.state == "rejected"


def test_summary_letter_and_materials_keep_what_the_city_recommended(recommended, users, time_machine):
    first, second = recommended
    before_xlsx, _ = summary_file("340100", "xlsx")
    before_docx, _ = summary_file("340100", "docx")
    before_letter, _ = letter_file("340100", date(2026, 5, 6))
    _province_decides_publishes_pays(first, second, users, time_machine)

    data = summary_data("340100")
    assert [r.project_name for r in data.rows] == ["医院影像辅助诊断大模型应用", "智能制造质检视觉大模型应用"]
    assert summary_file("340100", "xlsx")[0] == before_xlsx
    assert summary_file("340100", "docx")[0] == before_docx
    letter, _ = letter_file("340100", date(2026, 5, 6))
    assert letter == before_letter
    assert "现推荐2个项目" in "".join(p.text for p in Document(io.BytesIO(letter)).paragraphs)
    handle, apps, _files = materials_zip("340100")
    assert apps == 2
    with zipfile.ZipFile(handle) as archive:
        assert len({name.split("/")[0] for name in archive.namelist()}) == 2


def test_clerks_download_and_counter_are_unchanged_after_the_province_pays(client, recommended, users, time_machine):
    first, second = recommended
    signin(client, users["hefei_clerk"])
    before = client.get("/exports/city/340100/summary.xlsx").content
    _province_decides_publishes_pays(first, second, users, time_machine)
    signin(client, users["hefei_clerk"])  # two months later: a new session
    after = client.get("/exports/city/340100/summary.xlsx").content
    assert after == before  # byte for byte
    page = client.get("/review/").content.decode()
    assert '<strong id="recommended-count">2</strong>' in page
    assert '<strong id="recommended-total">124.00</strong>' in page


def test_cli_summary_lists_what_the_city_recommended(recommended, users, time_machine, tmp_path):
    first, second = recommended
    _province_decides_publishes_pays(first, second, users, time_machine)
    out = tmp_path / "s.xlsx"
    call_command("export", "summary", "--city", "340100", "--format", "xlsx", "--out", str(out))
    ws = openpyxl.load_workbook(out).active
    assert ws["B5"].value == "医院影像辅助诊断大模型应用" and ws["B6"].value == "智能制造质检视觉大模型应用"
    assert ws["E7"].value == "共 2 项"


def test_withdrawn_or_not_recommended_are_never_listed(recommended, users, time_machine):
    from tests.review.conftest import make_submitted

    other = make_submitted(users["hefei_applicant"], "未推荐的项目", when="2026-04-24 10:00:00",
                           time_machine=time_machine)
    application_transition(other, "not_recommend", users["hefei_clerk"], reason="不符合条件")
    assert len(summary_data("340100").rows) == 2
