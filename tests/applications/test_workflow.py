"""The lifecycle: who may fire what and when; two clerks at once; reasons the city must give."""

import pytest
from django.db import IntegrityError

from duixian.applications.models import Application, ApplicationState, StateChange, Submission
from duixian.applications.services import ApplicationError, application_create, application_submit, application_withdraw
from duixian.applications.workflow import (
    TransitionConflict,
    TransitionError,
    application_transition,
    available_actions,
)
from duixian.audit.models import AuditEvent

from .conftest import signin, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(complete_draft, users, time_machine):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    return application_submit(complete_draft, user=users["hefei_applicant"], token="tok-1", declaration=True)


def names(actions):
    return {t.action for t in actions}


def test_reference_number_and_snapshot(submitted):
    assert submitted.reference == f"DX2026-340100-{submitted.pk:06d}"
    snapshot = Submission.objects.get(application=submitted)
    assert snapshot.pack_version == "2026.1"
    assert snapshot.answers["scene"]["status"] == "in_use"
    assert snapshot.verdict["status"] in {"eligible", "needs_review"}
    assert len(snapshot.materials) == 9 and snapshot.materials[0]["sha256"]  # the 一式两份 paper copies are no slot
    change = StateChange.objects.get(application=submitted)
    assert (change.from_state, change.to_state) == ("draft", "submitted")
    assert AuditEvent.objects.filter(action="application.submit", object_id=str(submitted.pk)).exists()


def test_double_submit_creates_nothing_twice(complete_draft, users, time_machine):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    user = users["hefei_applicant"]
    first = application_submit(complete_draft, user=user, token="same", declaration=True)
    stale = Application.objects.get(pk=complete_draft.pk)
    stale.state = ApplicationState.DRAFT  # the second click was sent from the same draft page
    again = application_submit(stale, user=user, token="same", declaration=True)
    assert again.reference == first.reference
    assert Submission.objects.count() == 1 and StateChange.objects.count() == 1
    # A second form (another tab) with its own token is told it is already submitted.
    with pytest.raises(TransitionConflict, match="已由.*提交"):
        application_submit(stale, user=user, token="other-tab", declaration=True)
    assert Submission.objects.count() == 1


def test_double_click_over_http(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    data = {"declaration": "on", "token": "click", "expected_state": "draft"}
    first = client.post(f"/applications/{complete_draft.pk}/check/", data)
    second = client.post(f"/applications/{complete_draft.pk}/check/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/applications/{complete_draft.pk}/confirmation/"
    assert Submission.objects.count() == 1


def test_unique_application_per_organisation_clause_and_project(complete_draft, users):
    with pytest.raises(ApplicationError, match="不要重复创建"):
        application_create(user=users["hefei_applicant"], clause="2", project_name="医院影像辅助诊断大模型应用")
    with pytest.raises(IntegrityError):
        Application.objects.create(organisation=complete_draft.organisation, city_code="340100",
                                   batch_id=complete_draft.batch_id, clause="2", project_name="医院影像辅助诊断大模型应用")


def test_same_project_name_under_another_clause_is_allowed(complete_draft, users):
    other = application_create(user=users["hefei_applicant"], clause="4", project_name="医院影像辅助诊断大模型应用")
    assert other.pk != complete_draft.pk


def test_withdraw_while_the_city_has_not_acted(submitted, users, time_machine):
    applicant = users["hefei_applicant"]
    assert "withdraw" in names(available_actions(applicant, submitted))
    app = application_withdraw(submitted, user=applicant, reason="项目名称有误，重新申报")
    assert app.state == ApplicationState.WITHDRAWN
    # Withdrawn no longer blocks the same project being applied for again.
    again = application_create(user=applicant, clause="2", project_name="医院影像辅助诊断大模型应用")
    assert again.state == ApplicationState.DRAFT


def test_no_withdraw_after_the_city_acted(submitted, users):
    application_transition(submitted, "recommend", users["hefei_clerk"])
    submitted.refresh_from_db()
    assert "withdraw" not in names(available_actions(users["hefei_applicant"], submitted))
    with pytest.raises(TransitionError):
        application_withdraw(submitted, user=users["hefei_applicant"])


def test_no_withdraw_of_a_returned_application(submitted, users):
    # 退回补正 is the city's request for corrections: the applicant resubmits, it cannot withdraw.
    application_transition(submitted, "return", users["hefei_clerk"], item_reasons={"purchase": "缺少发票"})
    submitted.refresh_from_db()
    applicant = users["hefei_applicant"]
    assert names(available_actions(applicant, submitted)) == {"resubmit"}
    with pytest.raises(TransitionError):
        application_withdraw(submitted, user=applicant)
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.RETURNED


def test_another_organisation_cannot_withdraw(submitted, users):
    with pytest.raises(TransitionError, match="本单位"):
        application_withdraw(submitted, user=users["wuhu_applicant"])


def test_only_the_citys_clerk_may_act(submitted, users):
    assert names(available_actions(users["hefei_clerk"], submitted)) == {"recommend", "return", "not_recommend"}
    assert names(available_actions(users["wuhu_clerk"], submitted)) == set()
    with pytest.raises(TransitionError, match="所属地市"):
        application_transition(submitted, "recommend", users["wuhu_clerk"])


def test_two_clerks_at_once_one_wins_the_other_is_told(submitted, users, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    clerk_b = users["hefei_clerk"].__class__.objects.create(username="hefei_clerk2", role="city_clerk", city_code="340100")
    page_a = Application.objects.get(pk=submitted.pk)
    page_b = Application.objects.get(pk=submitted.pk)
    application_transition(page_a, "recommend", users["hefei_clerk"], expected_state="submitted")
    with pytest.raises(TransitionConflict) as conflict:
        application_transition(page_b, "return", clerk_b, item_reasons={"purchase": "缺发票"}, expected_state="submitted")
    assert "推荐" in conflict.value.message and "未执行" in conflict.value.message
    assert Application.objects.get(pk=submitted.pk).state == ApplicationState.RECOMMENDED
    assert StateChange.objects.filter(application=submitted).count() == 2  # submit + recommend


def test_city_actions_close_at_the_city_deadline(submitted, users, time_machine):
    time_machine.move_to(at("2026-05-07 17:00:00"), tick=False)
    with pytest.raises(TransitionError, match="2026年5月7日 17:00"):
        application_transition(submitted, "recommend", users["hefei_clerk"])
    # After the deadline the province may mark what was left as expired.
    app = application_transition(submitted, "expire", users["province"])
    assert app.state == ApplicationState.EXPIRED


def test_return_needs_a_reason_per_checklist_item(submitted, users):
    clerk = users["hefei_clerk"]
    with pytest.raises(TransitionError, match="至少对一个审核项目"):
        application_transition(submitted, "return", clerk, item_reasons={})
    with pytest.raises(TransitionError, match="未知的审核项目"):
        application_transition(submitted, "return", clerk, item_reasons={"nonsense": "x"})
    app = application_transition(submitted, "return", clerk, item_reasons={"purchase": "采购合同缺少发票"})
    assert app.history.last().item_reasons == {"purchase": "采购合同缺少发票"}


def test_not_recommend_needs_a_reason(submitted, users):
    with pytest.raises(TransitionError, match="须填写理由"):
        application_transition(submitted, "not_recommend", users["hefei_clerk"], reason="  ")


def test_recommending_an_ineligible_application_needs_an_override_reason(complete_draft, users, time_machine):
    from duixian.applications.services import application_save_answers

    application_save_answers(complete_draft, {"scene.own_supply_capability": True}, user=users["hefei_applicant"])
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    app = application_submit(complete_draft, user=users["hefei_applicant"], token="t", declaration=True)
    with pytest.raises(TransitionError, match="推荐理由"):
        application_transition(app, "recommend", users["hefei_clerk"])
    app = application_transition(app, "recommend", users["hefei_clerk"], reason="经核实其供给能力仅限内部研发")
    assert app.state == ApplicationState.RECOMMENDED


def test_province_chain_after_recommendation(submitted, users):
    province = users["province"]
    app = application_transition(submitted, "recommend", users["hefei_clerk"])
    assert names(available_actions(province, app)) == {"approve", "reject"}
    for action in ("approve", "publish", "pay"):
        app = application_transition(app, action, province)
    assert app.state == ApplicationState.PAID
    with pytest.raises(TransitionError):
        application_transition(app, "approve", users["hefei_clerk"])


def test_notifications_follow_each_transition(submitted, users, settings, mailoutbox, django_capture_on_commit_callbacks):
    from duixian.applications.notifications import notifications_for

    titles = [n.title for n in notifications_for(users["hefei_applicant"])]
    assert any("申报已提交" in t for t in titles)
    assert not mailoutbox  # no mail server configured: in-app only
    settings.EMAIL_HOST = "smtp.example.org"
    users["hefei_applicant"].email = "zhang@example.org"
    users["hefei_applicant"].save()
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(submitted, "return", users["hefei_clerk"], item_reasons={"purchase": "缺发票"})
    assert any("退回补正" in n.title for n in notifications_for(users["hefei_applicant"]))
    assert [m.to for m in mailoutbox] == [["zhang@example.org"]]
    assert "退回补正" in mailoutbox[0].subject
