"""Recommend, return for correction, not recommend: reasons, two clerks at once, the city deadline."""

import pytest

from duixian.applications.models import Application, Notification, StateChange, Submission
from duixian.applications.services import application_save_answers, application_submit
from duixian.audit.models import AuditEvent
from duixian.core.workdays import time_left

from .conftest import at, signin

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client, users, time_machine, submitted):
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    return users["hefei_clerk"]


def state(app) -> str:
    return Application.objects.get(pk=app.pk).state


def test_recommend(client, clerk, submitted):
    response = client.post(f"/review/{submitted.pk}/act/recommend/", {"rec-expected_state": "submitted"})
    assert response.status_code == 302
    assert state(submitted) == "recommended"
    change = StateChange.objects.get(application=submitted, action="recommend")
    assert "合肥" in change.actor_label
    assert AuditEvent.objects.filter(action="application.recommend", object_id=str(submitted.pk), outcome="success").exists()
    assert Notification.objects.filter(application=submitted, event="application.recommend").exists()
    page = client.get(f"/review/{submitted.pk}/").content.decode()
    assert "市级已推荐" in page and 'id="form-recommend"' not in page  # nothing more to decide


def make_ineligible(app):
    snapshot = Submission.objects.get(application=app)
    snapshot.verdict = {**snapshot.verdict, "status": "ineligible"}
    snapshot.save()


def test_recommending_a_failing_application_needs_an_override_reason(client, clerk, submitted):
    make_ineligible(submitted)
    page = client.get(f"/review/{submitted.pk}/").content.decode()
    assert "不采纳系统预审结果" in page
    response = client.post(f"/review/{submitted.pk}/act/recommend/", {"rec-expected_state": "submitted"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "error-summary" in body and "推荐须写明不采纳预审结果的理由" in body
    assert state(submitted) == "submitted"
    assert AuditEvent.objects.filter(action="application.recommend", outcome="refused").exists()
    response = client.post(f"/review/{submitted.pk}/act/recommend/", {
        "rec-expected_state": "submitted", "rec-reason": "场景已通过省级专家现场核查，示范效果明显"})
    assert response.status_code == 302 and state(submitted) == "recommended"
    assert StateChange.objects.get(action="recommend").reason == "场景已通过省级专家现场核查，示范效果明显"


def test_return_needs_a_reason_per_item_and_the_applicant_sees_them(client, users, clerk, submitted):
    response = client.post(f"/review/{submitted.pk}/act/return/", {"ret-expected_state": "submitted"})
    assert response.status_code == 400
    assert "至少对一个审核项目写明" in response.content.decode()
    assert state(submitted) == "submitted"
    response = client.post(f"/review/{submitted.pk}/act/return/", {
        "ret-expected_state": "submitted", "ret-item_purchase": "请补充采购合同及发票复印件（加盖公章）",
        "ret-item_other": "联系人电话无法接通"})
    assert response.status_code == 302 and state(submitted) == "returned"
    change = StateChange.objects.get(action="return")
    assert change.item_reasons == {"purchase": "请补充采购合同及发票复印件（加盖公章）", "other": "联系人电话无法接通"}
    signin(client, users["hefei_applicant"])
    status = client.get(f"/applications/{submitted.pk}/status/").content.decode()
    assert "请补充采购合同及发票复印件（加盖公章）" in status


def test_not_recommend_needs_a_reason(client, clerk, submitted):
    response = client.post(f"/review/{submitted.pk}/act/not_recommend/", {"nr-expected_state": "submitted"})
    assert response.status_code == 400
    assert "不予推荐须写明理由" in response.content.decode()
    response = client.post(f"/review/{submitted.pk}/act/not_recommend/", {
        "nr-expected_state": "submitted", "nr-reason": "场景尚未投入使用"})
    assert response.status_code == 302 and state(submitted) == "not_recommended"
    assert Notification.objects.filter(application=submitted, body__contains="场景尚未投入使用").exists()


def test_two_clerks_at_once_one_wins_the_other_is_told(client, users, time_machine, submitted):
    from django.test import Client

    from duixian.authz.roles import Role
    from tests.conftest import make_user

    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    second = make_user("hefei_clerk2", Role.CITY_CLERK, city_code="340100", full_name="王审核")
    first_client, second_client = client, Client()
    signin(first_client, users["hefei_clerk"])
    signin(second_client, second)
    # Both opened the page while it was submitted.
    assert first_client.get(f"/review/{submitted.pk}/").status_code == 200
    assert second_client.get(f"/review/{submitted.pk}/").status_code == 200
    assert first_client.post(f"/review/{submitted.pk}/act/recommend/", {"rec-expected_state": "submitted"}).status_code == 302
    response = second_client.post(f"/review/{submitted.pk}/act/not_recommend/",
                                  {"nr-expected_state": "submitted", "nr-reason": "材料不全"}, follow=True)
    page = response.content.decode()
    assert "已由合肥" in page and "推荐" in page and "您的“不予推荐”操作未执行" in page
    assert state(submitted) == "recommended"
    assert StateChange.objects.filter(application=submitted, action="not_recommend").count() == 0
    assert AuditEvent.objects.filter(action="application.not_recommend", outcome="refused").exists()


def test_resubmitted_application_comes_back_for_review(client, users, clerk, submitted, time_machine):
    client.post(f"/review/{submitted.pk}/act/return/", {
        "ret-expected_state": "submitted", "ret-item_purchase": "请补充采购合同"})
    app = Application.objects.get(pk=submitted.pk)
    app = application_save_answers(app, {"contact_name": "张晓明"}, user=users["hefei_applicant"])
    application_submit(app, user=users["hefei_applicant"], token="again", declaration=True)
    assert state(submitted) == "submitted"
    page = client.get("/review/?state=submitted").content.decode()
    assert submitted.reference in page
    assert client.post(f"/review/{submitted.pk}/act/recommend/", {"rec-expected_state": "submitted"}).status_code == 302
    assert state(submitted) == "recommended"


def test_actions_close_at_the_city_deadline(client, users, time_machine, submitted):
    time_machine.move_to(at("2026-05-07 16:59:59"), tick=False)
    signin(client, users["hefei_clerk"])
    page = client.get(f"/review/{submitted.pk}/").content.decode()
    assert 'id="form-recommend"' in page and "今天截止" in page
    time_machine.move_to(at("2026-05-07 17:00:00"), tick=False)  # one second later: the session lives on
    page = client.get(f"/review/{submitted.pk}/").content.decode()
    assert 'id="form-recommend"' not in page and 'id="actions-closed"' in page
    assert "市级审核推荐已截止" in page and "2026年5月7日 17:00" in page
    assert "市级审核推荐已截止" in client.get("/review/").content.decode()
    # Reading the page at 17:00 ran the deadline sweep (issue 15 item 5): the application is 逾期,
    # so a recommendation from the page read a second earlier is refused and says why.
    response = client.post(f"/review/{submitted.pk}/act/recommend/", {"rec-expected_state": "submitted"}, follow=True)
    assert state(submitted) == "expired"
    assert "系统" in response.content.decode() and "未执行" in response.content.decode()
    # Checklist notes are closed too.
    client.post(f"/review/{submitted.pk}/checklist/", {"cl-result_scene": "pass"})
    from duixian.review.models import ChecklistResult

    assert not ChecklistResult.objects.exists()


def test_days_left_in_calendar_and_working_days(client, clerk, submitted):
    # 4-28 10:00 → 5-7 17:00: 9 calendar days; working days 4-28, 29, 30, 5-6, 7 (劳动节 5-1…5-5 off).
    page = client.get("/review/").content.decode()
    assert "<strong>9</strong> 个自然日" in page and "<strong>5</strong> 个工作日" in page
    from duixian.policy.pack import default_pack

    left = time_left(at("2026-04-28 10:00:00"), default_pack().city_review_deadline)
    assert (left.calendar_days, left.working_days, left.passed) == (9, 5, False)
