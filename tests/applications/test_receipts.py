"""Submitting with SUBMISSIONS_QUEUED on: the press is taken at once, checked by a worker after.

The deadline is judged at the receipt's time: a press at 23:58:59 checked at 23:59:30 is on
time, a press at 23:59:00 is refused on the spot. A refusal found only by the check is shown
on the confirmation page with its reason; nothing is half-saved.
"""

import pytest
from django_tasks_db.models import DBTaskResult

from duixian.applications.materials import material_remove
from duixian.applications.models import ApplicationState, ReceiptOutcome, Submission, SubmissionReceipt
from duixian.applications.receipts import receipt_process
from duixian.audit.models import AuditEvent

from .conftest import at, signin

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queued(settings):
    settings.SUBMISSIONS_QUEUED = True


def press(client, app, token="press-1"):
    return client.post(f"/applications/{app.pk}/check/",
                       {"declaration": "on", "token": token, "expected_state": app.state})


def run_queued_tasks() -> int:
    """What `duixian worker` does: run each queued receipt check."""
    from duixian.applications.tasks import receipt_process_task

    ran = 0
    for row in DBTaskResult.objects.filter(task_path=receipt_process_task.module_path).order_by("enqueued_at"):
        receipt_process(*row.args_kwargs["args"])
        ran += 1
    return ran


def test_a_press_at_the_last_second_is_taken_at_once_and_accepted_when_checked_later(
        client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-05-05 23:58:59"), tick=False)
    signin(client, users["hefei_applicant"])
    response = press(client, complete_draft)
    assert response.status_code == 302 and response["Location"].endswith(f"/{complete_draft.pk}/confirmation/")
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.DRAFT  # not yet checked
    page = client.get(response["Location"]).content.decode()
    assert "已收到您的提交，正在核验" in page and "受理时间：2026年5月5日 23:58:59" in page
    assert 'http-equiv="refresh"' in page

    time_machine.move_to(at("2026-05-05 23:59:30"), tick=False)  # the queue is long tonight
    assert run_queued_tasks() == 1
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.SUBMITTED
    assert complete_draft.first_submitted_at == at("2026-05-05 23:58:59")
    assert Submission.objects.get(application=complete_draft).submitted_at == at("2026-05-05 23:58:59")
    receipt = SubmissionReceipt.objects.get()
    assert receipt.outcome == ReceiptOutcome.ACCEPTED and receipt.processed_at == at("2026-05-05 23:59:30")
    event = AuditEvent.objects.filter(action="application.submit", outcome="success").get()
    assert event.username == users["hefei_applicant"].username and event.ip == "127.0.0.1"
    page = client.get(f"/applications/{complete_draft.pk}/confirmation/").content.decode()
    assert "申报已提交" in page and complete_draft.reference in page and 'http-equiv="refresh"' not in page


def test_a_press_at_the_closing_second_is_refused_on_the_spot(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-05-05 23:59:00"), tick=False)
    signin(client, users["hefei_applicant"])
    page = press(client, complete_draft).content.decode()
    assert "申报系统已于2026年5月5日 23:59关闭" in page
    assert not SubmissionReceipt.objects.exists() and not DBTaskResult.objects.exists()


def test_a_refusal_found_by_the_check_is_shown_with_its_reason(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-05-05 22:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    press(client, complete_draft)
    material_remove(complete_draft.materials.first())  # e.g. a colleague removed a file meanwhile
    run_queued_tasks()
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.DRAFT and not Submission.objects.exists()
    receipt = SubmissionReceipt.objects.get()
    assert receipt.outcome == ReceiptOutcome.REFUSED and "申报材料" in receipt.message
    page = client.get(f"/applications/{complete_draft.pk}/confirmation/").content.decode()
    assert "提交未成功" in page and "申报材料" in page and "返回确认信息页修改后重新提交" in page
    assert AuditEvent.objects.filter(action="application.submit", outcome="refused").count() == 1

    fill_again = client.get(f"/applications/{complete_draft.pk}/check/")  # fix it and press again
    assert fill_again.status_code == 200


def test_a_double_click_makes_one_receipt_and_one_submission(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-05-05 23:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    first, second = press(client, complete_draft), press(client, complete_draft)
    assert first["Location"] == second["Location"]
    assert SubmissionReceipt.objects.count() == 1
    run_queued_tasks()
    assert press(client, complete_draft).status_code == 302  # a replay after the check: the result
    assert Submission.objects.count() == 1


def test_checking_a_receipt_twice_changes_nothing(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-05-05 23:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    press(client, complete_draft)
    receipt = SubmissionReceipt.objects.get()
    receipt_process(receipt.pk)
    receipt_process(receipt.pk)  # the worker died after the work and the task ran again
    assert Submission.objects.count() == 1
    assert AuditEvent.objects.filter(action="application.submit").count() == 1


def test_another_organisation_cannot_see_a_pending_press(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-05-05 23:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    press(client, complete_draft)
    client.logout()
    other = next(u for u in users.values() if u.role == "applicant" and u.organisation_id != complete_draft.organisation_id)
    signin(client, other)
    assert client.get(f"/applications/{complete_draft.pk}/confirmation/").status_code == 404


def test_a_press_whose_task_failed_for_good_is_checked_by_housekeeping(client, complete_draft, users, time_machine):
    from duixian.ops.housekeeping import housekeeping_once

    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    signin(client, users["hefei_applicant"])
    press(client, complete_draft)
    DBTaskResult.objects.all().delete()  # its worker died too often: the lease reaper gave it up
    time_machine.move_to(at("2026-05-05 23:59:59"), tick=False)
    housekeeping_once()
    assert SubmissionReceipt.objects.get().outcome == ReceiptOutcome.PENDING  # under two minutes: its task may run
    time_machine.move_to(at("2026-05-06 00:00:01"), tick=False)
    housekeeping_once()
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.SUBMITTED
    assert complete_draft.first_submitted_at == at("2026-05-05 23:58:00")  # on time: judged at the press


def test_a_second_press_from_another_tab_does_not_turn_a_submission_into_an_error(
        client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-05-05 23:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    press(client, complete_draft, token="tab-1")
    time_machine.move_to(at("2026-05-05 23:00:05"), tick=False)
    press(client, complete_draft, token="tab-2")  # the same draft, open in a second tab
    run_queued_tasks()
    outcomes = dict(SubmissionReceipt.objects.values_list("token", "outcome"))
    assert outcomes == {"tab-1": ReceiptOutcome.ACCEPTED, "tab-2": ReceiptOutcome.REFUSED}
    page = client.get(f"/applications/{complete_draft.pk}/confirmation/").content.decode()
    assert "申报已提交" in page and "提交未成功" not in page


def test_the_review_page_sends_a_pending_press_to_its_progress_page(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-05-05 23:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    press(client, complete_draft)
    again = client.get(f"/applications/{complete_draft.pk}/check/")  # back button: no second press
    assert again.status_code == 302 and again["Location"].endswith(f"/{complete_draft.pk}/confirmation/")
    run_queued_tasks()
    assert client.get(f"/applications/{complete_draft.pk}/check/").status_code == 302  # now submitted: status
