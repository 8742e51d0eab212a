"""The applicant's pages: task list, generated forms (with and without HTMX), 确认信息, confirmation."""

import io

import pytest
from docx import Document

from duixian.applications.models import Application

from .conftest import PDF, at, signin, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(client, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    return client


def create(client, choice="2", name="智慧工厂质检大模型应用"):
    response = client.post("/applications/new/", {"choice": choice, "project_name": name})
    assert response.status_code == 302, response.content.decode()
    return Application.objects.get(project_name=name)


def test_create_and_task_list_statuses(applicant):
    page = applicant.get("/applications/new/").content.decode()
    assert "第二条 促进垂类模型应用" in page and "2025年度园区绩效评价" in page
    app = create(applicant)
    page = applicant.get(f"/applications/{app.pk}/tasks/").content.decode()
    assert "项目基本信息" in page and "场景情况" in page and "申报材料" in page
    assert "未开始" in page
    # Organisation facts came from the profile, so that section is already complete.
    assert app.facts["org"]["owns_ip"] is True


def test_duplicate_project_is_refused_beside_the_field(applicant):
    create(applicant)
    page = applicant.post("/applications/new/", {"choice": "2", "project_name": "智慧工厂质检大模型应用"}).content.decode()
    assert "不要重复创建" in page and "error-summary" in page


def test_section_without_javascript_saves_and_asks_newly_relevant_questions(applicant):
    app = create(applicant)
    url = f"/applications/{app.pk}/section/scene/"
    page = applicant.get(url).content.decode()
    assert "自身是否具备该场景所需的技术" in page
    # Not asked until it can change the verdict: on the page, hidden, with its condition for
    # the browser to show it as soon as 供给能力 is answered 否.
    assert ('id="q-scene__purchased_solution" hidden data-show-when="scene__own_supply_capability" '
            'data-show-value="false"') in page
    assert "二、（二）2" in page and "条款原文" in page
    response = applicant.post(url, {"scene__own_supply_capability": "false", "scene__status": "in_use"})
    assert response.status_code == 200  # stays on the page: a new question appeared
    page = response.content.decode()
    assert "需要补充回答新出现的问题" in page and 'id="q-scene__purchased_solution" data-show-when' in page
    app.refresh_from_db()
    # An untouched checkbox group means "none of these" (the question says 没有则不选).
    assert app.facts["scene"] == {"own_supply_capability": False, "status": "in_use", "prior_support": []}


def test_autosave_answers_with_the_outcome_never_the_inputs(applicant):
    """Issue 15: the autosave reply used to carry the whole form, which replaced what the
    applicant typed meanwhile. Now it carries the time saved, errors per field and the verdict."""
    app = create(applicant)
    url = f"/applications/{app.pk}/section/scene/"
    response = applicant.post(url, {"scene__own_supply_capability": "true"}, HTTP_X_DUIXIAN_AUTOSAVE="1")
    data = response.json()
    assert data["saved"] is True and data["saved_at"] == "10:00:00" and data["errors"] == {}
    assert "<input" not in response.content.decode() and "<select" not in response.content.decode()
    assert 'id="verdict-panel"' in data["verdict_html"]
    assert "不符合" in data["verdict_html"] and "二、（二）2" in data["verdict_html"]  # the failing rule, cited
    app.refresh_from_db()
    assert app.facts["scene"]["own_supply_capability"] is True
    # The question 否 brings up, answered in the same save, is saved with it.
    applicant.post(url, {"scene__own_supply_capability": "false", "scene__purchased_solution": "true"},
                   HTTP_X_DUIXIAN_AUTOSAVE="1")
    app.refresh_from_db()
    assert app.facts["scene"]["purchased_solution"] is True
    # A bad value: its error, beside its field, once; the good values are kept.
    data = applicant.post(url + "?autosave=1", {"scene__development_investment_wan": "12x",
                                                "scene__status": "in_use"}).json()
    assert data["errors"] == {"scene__development_investment_wan": ["请填写数字，如 24 或 24.50。"]}
    app.refresh_from_db()
    assert app.facts["scene"]["status"] == "in_use"


def test_autosave_of_an_application_no_longer_editable_says_why(applicant, complete_draft, users):
    from duixian.applications.models import ApplicationState

    Application.objects.filter(pk=complete_draft.pk).update(state=ApplicationState.SUBMITTED)
    response = applicant.post(f"/applications/{complete_draft.pk}/section/scene/",
                              {"scene__status": "building"}, HTTP_X_DUIXIAN_AUTOSAVE="1")
    assert response.status_code == 409 and "不能修改" in response.json()["message"]


def test_errors_in_chinese_beside_the_field_and_valid_answers_kept(applicant):
    app = create(applicant)
    url = f"/applications/{app.pk}/section/project/"
    page = applicant.post(url, {"project__occurred_on": "2025-13-01", "contact_phone": "12345",
                                "project__in_anhui": "true"}).content.decode()
    assert "请按“年-月-日”填写日期" in page and 'href="#id_project__occurred_on"' in page
    app.refresh_from_db()
    assert app.facts["project"]["in_anhui"] is True


def test_amount_is_checked_against_the_clause_cap(applicant):
    app = create(applicant)
    applicant.post(f"/applications/{app.pk}/section/scene/", {"scene__development_investment_wan": "120"})
    page = applicant.post(f"/applications/{app.pk}/section/project/", {"amount_requested_wan": "30"}).content.decode()
    assert "不能超过本条款可兑现上限 24.00 万元" in page
    app.refresh_from_db()
    assert app.amount_requested_wan is None
    response = applicant.post(f"/applications/{app.pk}/section/project/", {"amount_requested_wan": "24"})
    app.refresh_from_db()
    assert str(app.amount_requested_wan) == "24.00"


def test_2024_park_that_skipped_2025_evaluation_is_told(client, users, time_machine):
    from tests.conftest import make_org, make_user

    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    park = make_org("91340100MA8PUF5R27", "合肥庐州园区运营有限公司", "340100", kind="park_operator")
    signin(client, make_user("park_user", "applicant", organisation=park))
    app = create(client, "5.evaluation", "庐州人工智能产业园绩效评价")
    url = f"/applications/{app.pk}/section/park/"
    data = {"park__approved_year": "2024", "park__evaluated_in_2025": "false"}
    page = client.post(url, {"park__approved_year": "2024"}).content.decode()
    assert "需要补充回答新出现的问题" in page  # 是否参加2025年度绩效评价 is asked only for 2024 parks
    page = client.post(url, data, follow=True).content.decode()
    page = client.get(url).content.decode()
    assert "本次申报作为绩效评价材料提交，不申请兑现资金" in page
    page = client.get(f"/applications/{app.pk}/section/project/").content.decode()
    assert 'id="q-amount_requested_wan" hidden' in page  # nothing to redeem: the amount is not asked


def test_full_flow_check_answers_confirmation_status_and_docx(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-04-22 15:30:00"), tick=False)
    signin(client, users["hefei_applicant"])
    page = client.get(f"/applications/{complete_draft.pk}/check/").content.decode()
    assert "确认信息" in page and "修改" in page and "尚未完成" not in page
    assert f"/applications/{complete_draft.pk}/section/scene/#q-scene__status" in page
    token = page.split('name="token" value="')[1].split('"')[0]
    response = client.post(f"/applications/{complete_draft.pk}/check/",
                           {"token": token, "expected_state": "draft"})
    assert "请阅读并勾选信息真实性承诺" in response.content.decode()
    response = client.post(f"/applications/{complete_draft.pk}/check/",
                           {"token": token, "expected_state": "draft", "declaration": "on"}, follow=True)
    page = response.content.decode()
    complete_draft.refresh_from_db()
    assert complete_draft.reference in page and "接下来" in page and "2026年5月7日 17:00" in page
    page = client.get(f"/applications/{complete_draft.pk}/status/").content.decode()
    assert "已提交，待市级审核" in page and "撤回申报" in page and "提交申报" in page
    listing = client.get("/applications/").content.decode()
    assert complete_draft.reference in listing
    docx = client.get(f"/applications/{complete_draft.pk}/summary.docx")
    text = "\n".join(c.text for t in Document(io.BytesIO(docx.content)).tables for r in t.rows for c in r.cells)
    assert complete_draft.reference in text and "已完成建设并投入使用" in text and "ip_proof.pdf" in text
    notes = client.get("/applications/notifications/").content.decode()
    assert "申报已提交" in notes


def test_material_template_docx_lists_the_packs_materials(applicant):
    response = applicant.get("/applications/templates/4.docx")
    text = "\n".join(c.text for t in Document(io.BytesIO(response.content)).tables for r in t.rows for c in r.cells)
    assert "大赛获奖证书" in text and "与转化地市（县区）签署的投资协议" in text


def test_upload_page_and_replacement(applicant, users):
    app = create(applicant)
    url = f"/applications/{app.pk}/materials/ip_proof/upload/"
    assert applicant.post(url, {"file": upload("第一版.pdf", PDF)}).status_code == 302
    assert applicant.post(url, {"file": upload("第二版.pdf", PDF)}).status_code == 302
    assert list(app.materials.values_list("original_name", flat=True)) == ["第二版.pdf"]
    page = applicant.get(f"/applications/{app.pk}/materials/").content.decode()
    assert "第二版.pdf" in page and "替换文件" in page
