"""The clerk's work list and review page: own city only, filters, verdict, answers, materials, checklist."""

import pytest

from duixian.audit.models import AuditEvent
from duixian.review.models import ChecklistResult

from .conftest import at, make_submitted, signin

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client, users, time_machine, submitted):
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    return users["hefei_clerk"]


def test_work_list_shows_own_city_only(client, clerk, submitted, wuhu_submitted):
    page = client.get("/review/").content.decode()
    assert submitted.reference in page and "医院影像辅助诊断大模型应用" in page
    assert wuhu_submitted.reference not in page and "芜湖港口调度大模型应用" not in page
    assert "合肥市科技局" in page


def test_another_citys_application_is_404(client, clerk, wuhu_submitted):
    assert client.get(f"/review/{wuhu_submitted.pk}/").status_code == 404
    assert client.post(f"/review/{wuhu_submitted.pk}/act/recommend/",
                       {"rec-expected_state": "submitted"}).status_code == 404
    material = wuhu_submitted.materials.first()
    assert client.get(f"/review/{wuhu_submitted.pk}/materials/{material.pk}/view/").status_code == 404
    assert client.get("/exports/city/340200/summary.xlsx").status_code == 404


def test_applicants_and_experts_have_no_work_list(client, users, submitted):
    for who in ("hefei_applicant", "expert"):
        signin(client, users[who])
        assert client.get("/review/").status_code == 404
        assert client.get(f"/review/{submitted.pk}/").status_code == 404


def test_a_draft_is_not_in_the_work_list(client, users, time_machine, submitted):
    from duixian.applications.services import application_create

    draft = application_create(user=users["hefei_applicant"], clause="2", project_name="尚未提交的草稿")
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    assert "尚未提交的草稿" not in client.get("/review/").content.decode()
    assert client.get(f"/review/{draft.pk}/").status_code == 404


def test_filters_by_status_and_clause(client, users, time_machine, submitted):
    from duixian.applications.workflow import application_transition

    other = make_submitted(users["hefei_applicant"], "智能制造质检视觉大模型应用")
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    application_transition(other, "recommend", users["hefei_clerk"])
    signin(client, users["hefei_clerk"])
    page = client.get("/review/?state=recommended").content.decode()
    assert "智能制造质检视觉大模型应用" in page and "医院影像辅助诊断大模型应用" not in page
    page = client.get("/review/?state=submitted").content.decode()
    assert "医院影像辅助诊断大模型应用" in page and "智能制造质检视觉大模型应用" not in page
    assert "已提交，待市级审核（1）" in page  # counts beside each status
    assert "没有符合条件的申报" in client.get("/review/?clause=4").content.decode()
    both = client.get("/review/?clause=2").content.decode()
    assert "医院影像" in both and "智能制造" in both


def test_review_page_shows_verdict_answers_materials_and_checklist(client, clerk, submitted):
    page = client.get(f"/review/{submitted.pk}/").content.decode()
    snapshot = submitted.submissions.get()
    assert 'id="snapshot-verdict"' in page
    for rule in snapshot.verdict["rules"][:3]:
        assert rule["citation"]["text"] in page
    assert "场景开发投入" in page or "120" in page  # an answer as submitted
    material = submitted.materials.first()
    assert f"/review/{submitted.pk}/materials/{material.pk}/view/" in page  # PDF previewed inline
    assert f"/applications/{submitted.pk}/materials/file/{material.pk}/" in page  # and downloadable
    # The clause's checklist from the pack, with a result choice per item.
    from duixian.policy.pack import default_pack

    for item in default_pack().checklist(2):
        assert item.text in page
        assert f'name="cl-result_{item.id}"' in page


def test_recompute_verdict_on_demand(client, clerk, submitted):
    page = client.get(f"/review/{submitted.pk}/?recompute=1").content.decode()
    assert 'id="recomputed-verdict"' in page and "按当前政策包重新计算" in page


def test_material_preview_is_inline_and_framed_only_by_us(client, clerk, submitted):
    material = submitted.materials.first()
    response = client.get(f"/review/{submitted.pk}/materials/{material.pk}/view/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert AuditEvent.objects.filter(action="material.view", object_id=str(material.pk)).exists()


def test_checklist_results_are_saved_per_application(client, clerk, submitted):
    response = client.post(f"/review/{submitted.pk}/checklist/", {
        "cl-result_scene": "pass", "cl-note_scene": "现场照片与验收报告一致",
        "cl-result_purchase": "correct", "cl-note_purchase": "请补充采购合同的发票",
    })
    assert response.status_code == 302
    rows = {r.item_id: (r.result, r.note) for r in ChecklistResult.objects.filter(application=submitted)}
    assert rows == {"scene": ("pass", "现场照片与验收报告一致"), "purchase": ("correct", "请补充采购合同的发票")}
    page = client.get(f"/review/{submitted.pk}/").content.decode()
    assert "现场照片与验收报告一致" in page
    # The 需补正 note is offered as the return reason for that item.
    assert "请补充采购合同的发票</textarea>" in page
    assert AuditEvent.objects.filter(action="review.checklist_save", object_id=str(submitted.pk)).exists()


def test_checklist_refuses_an_unknown_result(client, clerk, submitted):
    response = client.post(f"/review/{submitted.pk}/checklist/", {"cl-result_scene": "maybe"})
    assert response.status_code == 400
    assert not ChecklistResult.objects.exists()


ROW = {
    "zh-hans": ('<td>合肥测试科技有限公司</td><td>医院影像辅助诊断大模型应用</td><td>第二条 促进垂类模型应用</td>',
                "选择", "4月21日 09:00", "待审核", "已提交，待市级审核"),
    "en": ('<td><span lang="zh-Hans">合肥测试科技有限公司</span></td><td><span lang="zh-Hans">医院影像辅助诊断大模型应用'
           '</span></td><td><span lang="zh-Hans">第二条 促进垂类模型应用</span></td>',
           "Select", "21 April, 09:00", "Awaiting review", "Submitted, awaiting city review"),
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_work_list_row_as_the_clerk_reads_it(client, clerk, submitted, settings, language):
    """Each row's words, link, amount and date, byte for byte in both languages (issue 22 made the
    row cheaper to write: translated once a page, the detail link from the list's URL)."""
    import re

    from django.urls import reverse

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/review/").content.decode()
    row = re.search(rf'<tr>\s*<td><input type="checkbox" name="selected" value="{submitted.pk}".*?</tr>', page, re.S)
    pk, ref = submitted.pk, submitted.reference
    names, choose, when, verdict, state = ROW[language]
    assert reverse("review:detail", args=[pk]) == f"/review/{pk}/"
    assert row is not None and row.group(0) == (
        f'<tr>\n      <td><input type="checkbox" name="selected" value="{pk}" id="sel-{pk}" aria-label="{choose} {ref}">'
        f'</td>\n      <td><a href="/review/{pk}/">{ref}</a></td>\n      {names}\n      <td class="num">24.00</td>\n'
        f'      <td>{when}</td>\n      <td><span class="tag warn">{verdict}</span></td>\n'
        f'      <td><span class="tag state-submitted">{state}</span></td></tr>')
