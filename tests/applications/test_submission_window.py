"""Submission only inside [2026-04-10 08:00:00, 2026-05-05 23:59:00) Beijing time, to the second.

Our documented reading of "5月5日 23:59 关闭": the system closes at 23:59:00, so 23:58:59 is the
last second accepted. Resubmission after a return runs until the city deadline 5月7日 17:00.
"""

import pytest

from duixian.applications.models import ApplicationState, Submission
from duixian.applications.services import application_submit
from duixian.applications.workflow import TransitionError, application_transition

from .conftest import signin, at

pytestmark = pytest.mark.django_db


def submit(app, user, token="t1"):
    return application_submit(app, user=user, token=token, declaration=True)


@pytest.mark.parametrize("moment, accepted", [
    ("2026-04-10 07:59:59", False),
    ("2026-04-10 08:00:00", True),
    ("2026-05-05 23:58:59", True),
    ("2026-05-05 23:59:00", False),
    ("2026-05-06 09:00:00", False),
])
def test_submission_window_boundary_seconds(complete_draft, users, time_machine, moment, accepted):
    time_machine.move_to(at(moment), tick=False)
    if accepted:
        app = submit(complete_draft, users["hefei_applicant"])
        assert app.state == ApplicationState.SUBMITTED
        assert app.first_submitted_at == at(moment)
    else:
        with pytest.raises(TransitionError) as refused:
            submit(complete_draft, users["hefei_applicant"])
        complete_draft.refresh_from_db()
        assert complete_draft.state == ApplicationState.DRAFT
        assert not Submission.objects.exists()
        expected = "2026年4月10日 08:00" if moment.startswith("2026-04-10") else "2026年5月5日 23:59"
        assert expected in refused.value.message


def test_late_submission_page_names_the_exact_closing_time(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-05-05 23:59:00"), tick=False)
    signin(client, users["hefei_applicant"])
    page = client.post(f"/applications/{complete_draft.pk}/check/",
                       {"declaration": "on", "token": "late", "expected_state": "draft"}).content.decode()
    assert "申报系统已于2026年5月5日 23:59关闭" in page
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.DRAFT


def _submit_and_return(app, users, time_machine):
    time_machine.move_to(at("2026-05-05 20:00:00"), tick=False)
    app = submit(app, users["hefei_applicant"])
    time_machine.move_to(at("2026-05-06 10:00:00"), tick=False)
    return application_transition(app, "return", users["hefei_clerk"],
                                  item_reasons={"purchase": "采购合同缺少发票，请补充。"})


@pytest.mark.parametrize("moment, accepted", [("2026-05-07 16:59:59", True), ("2026-05-07 17:00:00", False)])
def test_resubmission_until_the_city_deadline_keeps_first_submission_time(
    complete_draft, users, time_machine, moment, accepted
):
    app = _submit_and_return(complete_draft, users, time_machine)
    assert app.state == ApplicationState.RETURNED
    first = app.first_submitted_at
    time_machine.move_to(at(moment), tick=False)
    if accepted:
        app = submit(app, users["hefei_applicant"], token="t2")
        assert app.state == ApplicationState.SUBMITTED
        assert app.first_submitted_at == first == at("2026-05-05 20:00:00")
        assert app.last_submitted_at == at(moment)
        assert app.submissions.count() == 2
        # The rules see the first submission time (inside the window), not the resubmission.
        assert app.submissions.last().answers["submitted_at"].startswith("2026-05-05T20:00:00")
    else:
        with pytest.raises(TransitionError) as refused:
            submit(app, users["hefei_applicant"], token="t2")
        assert "2026年5月7日 17:00" in refused.value.message


def test_declaration_must_be_confirmed(complete_draft, users, time_machine):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    with pytest.raises(TransitionError, match="信息真实性承诺"):
        application_submit(complete_draft, user=users["hefei_applicant"], token="x", declaration=False)


def test_unconfirmed_organisation_cannot_submit(complete_draft, users, time_machine, hefei_org):
    hefei_org.status = "pending"
    hefei_org.save()
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    with pytest.raises(TransitionError, match="确认"):
        submit(complete_draft, users["hefei_applicant"])


def test_incomplete_application_is_told_what_is_missing(users, time_machine):
    from duixian.applications.services import application_create

    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    app = application_create(user=users["hefei_applicant"], clause="4", project_name="大赛成果转化")
    with pytest.raises(TransitionError) as refused:
        submit(app, users["hefei_applicant"])
    assert "获奖日期" in refused.value.message and "兑现申报书" in refused.value.message
    # a slot the province has not confirmed (待省科技厅确认) is never listed as missing
    assert "大赛获奖证书" not in refused.value.message


def test_ineligible_verdict_warns_but_does_not_block(complete_draft, users, time_machine):
    from duixian.applications.services import application_save_answers

    user = users["hefei_applicant"]
    application_save_answers(complete_draft, {"scene.own_supply_capability": True}, user=user)
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    app = submit(complete_draft, user)
    assert app.state == ApplicationState.SUBMITTED
    assert app.submissions.get().verdict["status"] == "ineligible"
