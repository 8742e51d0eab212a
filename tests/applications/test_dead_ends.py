"""Applicants are not led into dead ends (issue 15, item 7).

新建申报 after the window says so (at the closing second); the amount is checked against the cap
as it is typed, with one message; 撤回 asks first (without JavaScript); a withdrawn application
can be copied into a new draft.
"""

from datetime import timedelta

import pytest

from duixian.applications import policy_bridge
from duixian.applications.models import Application, ApplicationState
from duixian.applications.services import application_submit
from duixian.audit.models import AuditEvent

from .conftest import at, signin

pytestmark = pytest.mark.django_db


def closing():
    return policy_bridge.get_pack().application_close


def test_new_application_says_the_window_has_closed_from_the_closing_second(client, users, time_machine):
    signin(client, users["hefei_applicant"])
    close = closing()
    closed_text = f"申报系统已于{policy_bridge.format_moment(close)}关闭，不能再新建申报。"

    time_machine.move_to(close - timedelta(seconds=1), tick=False)
    page = client.get("/applications/new/").content.decode()
    assert "创建申报草稿" in page and closed_text not in page
    assert 'href="/applications/new/"' in client.get("/applications/").content.decode()

    time_machine.move_to(close, tick=False)
    page = client.get("/applications/new/").content.decode()
    assert closed_text in page and "创建申报草稿" not in page and 'name="project_name"' not in page
    response = client.post("/applications/new/", {"choice": "2", "project_name": "截止后的项目"})
    assert response.status_code == 409 and closed_text in response.content.decode()
    assert not Application.objects.filter(project_name="截止后的项目").exists()
    listing = client.get("/applications/").content.decode()
    assert closed_text in listing and 'href="/applications/new/"' not in listing


def test_the_amount_over_the_cap_is_told_once_as_it_is_typed(client, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    client.post("/applications/new/", {"choice": "2", "project_name": "金额上限核对项目"})
    app = Application.objects.get(project_name="金额上限核对项目")
    client.post(f"/applications/{app.pk}/section/scene/", {"scene__development_investment_wan": "120"},
                HTTP_X_DUIXIAN_AUTOSAVE="1")
    response = client.post(f"/applications/{app.pk}/section/project/", {"amount_requested_wan": "30"},
                           HTTP_X_DUIXIAN_AUTOSAVE="1")
    data = response.json()
    message = "拟申请兑现金额不能超过本条款可兑现上限 24.00 万元（按已填写的信息计算）。"
    assert data["errors"] == {"amount_requested_wan": [message]} and data["non_field_errors"] == []
    assert response.content.decode("unicode_escape").count("可兑现上限 24.00") == 1  # not in the verdict too
    app.refresh_from_db()
    assert app.amount_requested_wan is None
    data = client.post(f"/applications/{app.pk}/section/project/", {"amount_requested_wan": "24"},
                       HTTP_X_DUIXIAN_AUTOSAVE="1").json()
    assert data["errors"] == {}


@pytest.fixture
def submitted(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    app = application_submit(complete_draft, user=users["hefei_applicant"], token="t-dead-ends", declaration=True)
    signin(client, users["hefei_applicant"])
    return app


def test_withdraw_asks_for_confirmation_first_without_javascript(client, submitted):
    url = f"/applications/{submitted.pk}/withdraw/"
    status = client.get(f"/applications/{submitted.pk}/status/").content.decode()
    assert f'href="{url}"' in status  # a link to the question, not a button that withdraws
    page = client.get(url).content.decode()
    assert "确认撤回申报" in page and "确认撤回" in page and "取消，不撤回" in page
    assert submitted.reference in page and 'name="confirm" value="yes"' in page
    # The old one-step form (no confirmation) only brings up the question.
    response = client.post(url, {"expected_state": "submitted", "reason": "信息有误"})
    assert response.status_code == 200 and "确认撤回申报" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.SUBMITTED
    response = client.post(url, {"expected_state": "submitted", "reason": "信息有误", "confirm": "yes"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.WITHDRAWN
    assert AuditEvent.objects.filter(action="application.withdraw", object_id=str(submitted.pk), outcome="success").exists()
    # Withdrawn: the page no longer offers to withdraw, it says why.
    assert client.get(url).status_code == 302


def test_a_withdrawn_application_is_copied_into_a_new_draft(client, submitted, users, time_machine):
    url = f"/applications/{submitted.pk}/copy/"
    # Not withdrawn yet: nothing to copy.
    client.post(url)
    assert Application.objects.filter(organisation=submitted.organisation).count() == 1
    client.post(f"/applications/{submitted.pk}/withdraw/", {"expected_state": "submitted", "confirm": "yes"})
    status = client.get(f"/applications/{submitted.pk}/status/").content.decode()
    assert "复制为新草稿" in status and f'action="{url}"' in status

    response = client.post(url)
    copy = Application.objects.exclude(pk=submitted.pk).get(organisation=submitted.organisation)
    assert response.status_code == 302 and response["Location"] == f"/applications/{copy.pk}/tasks/"
    assert copy.state == ApplicationState.DRAFT and copy.reference in ("", None)
    assert (copy.clause, copy.project_name, copy.facts) == (submitted.clause, submitted.project_name, submitted.facts)
    assert (copy.amount_requested_wan, copy.contact_name, copy.contact_phone) == (
        submitted.amount_requested_wan, submitted.contact_name, submitted.contact_phone)
    assert not copy.materials.exists()  # uploaded again
    event = AuditEvent.objects.get(action="application.copy", object_id=str(copy.pk))
    assert event.detail["copied_from"] == submitted.pk and event.detail["copied_from_reference"] == submitted.reference
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.WITHDRAWN
    page = client.get(f"/applications/{copy.pk}/tasks/", follow=True).content.decode()
    assert "申报材料请重新上传" in page

    # Another organisation's applicant cannot copy it.
    signin(client, users["wuhu_applicant"])
    assert client.post(url).status_code == 404

    # After the window: the status page says so instead of offering the button; a post is refused.
    time_machine.move_to(closing(), tick=False)
    signin(client, users["hefei_applicant"])  # a fortnight later: a new session
    status = client.get(f"/applications/{submitted.pk}/status/").content.decode()
    assert "不能再新建申报" in status and "复制为新草稿</button>" not in status
    client.post(url)
    assert Application.objects.filter(organisation=submitted.organisation).count() == 2
