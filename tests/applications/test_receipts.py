"""Submitting with SUBMISSIONS_QUEUED on: the press is taken at once, checked by a worker after.

The deadline is judged at the receipt's time: a press at 23:58:59 checked at 23:59:30 is on
time, a press at 23:59:00 is refused on the spot. A refusal found only by the check is shown
on the confirmation page with its reason; nothing is half-saved.
"""

import pytest
from django.core.management import call_command
from django.db import connection

from duixian.applications import receipts
from duixian.applications.materials import material_remove
from duixian.applications.models import ApplicationState, ReceiptOutcome, Submission, SubmissionReceipt
from duixian.applications.receipts import receipt_process, receipts_check_pending
from duixian.applications.services import application_create
from duixian.audit.models import AuditEvent
from duixian.orgs.models import OrgMembership, OrgRole, OrgStatus

from .conftest import at, signin

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queued(settings):
    settings.SUBMISSIONS_QUEUED = True


def press(client, app, token="press-1"):
    return client.post(f"/applications/{app.pk}/check/",
                       {"declaration": "on", "token": token, "expected_state": app.state})


def run_queued_tasks() -> int:
    """What every `duixian worker` does every --interval seconds: check the pending presses."""
    return receipts_check_pending()


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
    assert 'id="receipt-poll"' in page and 'hx-trigger="load delay:2s"' in page  # asks again in 2 s
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page  # without JavaScript too

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
    assert "申报已提交" in page and complete_draft.reference in page
    assert 'http-equiv="refresh"' not in page and "receipt-poll" not in page


def test_a_press_at_the_closing_second_is_refused_on_the_spot(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-05-05 23:59:00"), tick=False)
    signin(client, users["hefei_applicant"])
    page = press(client, complete_draft).content.decode()
    assert "申报系统已于2026年5月5日 23:59关闭" in page
    assert not SubmissionReceipt.objects.exists()


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


@pytest.mark.django_db(transaction=True)  # as in production: autocommit, the INSERT is its own transaction
def test_a_double_click_outside_a_transaction_makes_one_receipt(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-05-05 23:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    first, second = press(client, complete_draft), press(client, complete_draft)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert SubmissionReceipt.objects.count() == 1


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


def test_a_press_whose_check_fails_is_left_pending_and_tried_again_later(
        client, complete_draft, users, time_machine, monkeypatch):
    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    signin(client, users["hefei_applicant"])
    press(client, complete_draft)
    receipts._failed_at.clear()

    def fault(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(receipts, "application_submit", fault)
    assert receipts_check_pending() == 1
    assert SubmissionReceipt.objects.get().outcome == ReceiptOutcome.PENDING  # nothing half-saved
    monkeypatch.undo()
    assert receipts_check_pending() == 0  # not hammered again at once
    monkeypatch.setattr(receipts, "RETRY_SECONDS", 0.0)
    time_machine.move_to(at("2026-05-06 00:00:30"), tick=False)  # checked after the close
    assert receipts_check_pending() == 1
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.SUBMITTED
    assert complete_draft.first_submitted_at == at("2026-05-05 23:58:00")  # on time: judged at the press


def test_a_press_whose_check_fails_does_not_hold_back_the_presses_checked_with_it(
        client, complete_draft, users, time_machine, monkeypatch):
    """The worker checks several presses in one transaction (receipts.CHECK_BATCH): one that
    fails is left pending for later, the others pressed beside it are submitted all the same."""
    from .conftest import CLAUSE2_ANSWERS, fill_materials
    from duixian.applications.services import application_create, application_save_answers

    user = users["hefei_applicant"]
    second = application_create(user=user, clause="2", project_name="第二个项目")
    second = application_save_answers(second, dict(CLAUSE2_ANSWERS), user=user)
    fill_materials(second, user)
    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    signin(client, user)
    press(client, complete_draft, token="press-1")
    press(client, second, token="press-2")
    monkeypatch.setattr(receipts, "_failed_at", {})  # the failure is forgotten after this test
    submit = receipts.application_submit

    def fault_on_the_first(app, **kwargs):
        if app.pk == complete_draft.pk:
            raise RuntimeError("the database went away")
        return submit(app, **kwargs)

    monkeypatch.setattr(receipts, "application_submit", fault_on_the_first)
    assert receipts_check_pending() == 2
    outcomes = dict(SubmissionReceipt.objects.values_list("application_id", "outcome"))
    assert outcomes == {complete_draft.pk: ReceiptOutcome.PENDING, second.pk: ReceiptOutcome.ACCEPTED}
    second.refresh_from_db()
    assert second.state == ApplicationState.SUBMITTED
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.DRAFT and not complete_draft.submissions.exists()


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when done
def test_the_worker_checks_pending_presses(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-05-05 23:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    press(client, complete_draft)
    call_command("worker", "--batch")  # what a started worker does first, then every --interval s
    assert SubmissionReceipt.objects.get().outcome == ReceiptOutcome.ACCEPTED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks (SKIP LOCKED) exist on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_check_the_same_press(client, complete_draft, users, time_machine):
    from django.db import connections

    time_machine.move_to(at("2026-05-05 23:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    press(client, complete_draft)
    receipt = SubmissionReceipt.objects.get()
    other = connections.create_connection("default")  # another worker, checking this press now
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("SELECT id FROM applications_submissionreceipt WHERE id = %s FOR UPDATE", [receipt.pk])
        assert receipts_check_pending() == 0  # skipped, not waited for
        other.rollback()  # that worker died mid-check: its transaction is gone, the press is not
    finally:
        other.close()
    assert receipts_check_pending() == 1
    assert SubmissionReceipt.objects.get().outcome == ReceiptOutcome.ACCEPTED


def test_a_plain_press_is_one_write(client, complete_draft, users, time_machine):
    from django.test.utils import CaptureQueriesContext

    time_machine.move_to(at("2026-05-05 23:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    with CaptureQueriesContext(connection) as queries:
        response = press(client, complete_draft)
    assert response["Location"].endswith(f"/{complete_draft.pk}/confirmation/")
    sql = [q["sql"] for q in queries.captured_queries]
    # The application is not read on its own: the receipt's INSERT … SELECT checks it in the same statement.
    assert [s for s in sql if "applications_" in s] == [next(s for s in sql if s.startswith("INSERT"))]
    assert not any("django_tasks" in s for s in sql)  # the receipt is the queue
    receipt = SubmissionReceipt.objects.get()
    assert (receipt.user, receipt.received_at, receipt.expected_state, receipt.ip, receipt.declaration) == (
        users["hefei_applicant"], at("2026-05-05 23:00:00"), ApplicationState.DRAFT, "127.0.0.1", True)


def test_a_returned_application_is_pressed_again_until_the_city_deadline(client, complete_draft, users, time_machine):
    complete_draft.state = ApplicationState.RETURNED  # returned for correction by the city
    complete_draft.save(update_fields=["state"])
    time_machine.move_to(at("2026-05-07 16:59:59"), tick=False)  # after the application window
    signin(client, users["hefei_applicant"])
    assert press(client, complete_draft, token="last-second").status_code == 302
    time_machine.move_to(at("2026-05-07 17:00:00"), tick=False)  # the city review deadline
    refused = press(client, complete_draft, token="too-late")
    assert refused.status_code == 200 and "现已逾期，不能再提交" in refused.content.decode()
    assert list(SubmissionReceipt.objects.values_list("token", "expected_state")) == [
        ("last-second", ApplicationState.RETURNED)]


@pytest.mark.parametrize("case, message", [
    ("viewer", "只能查看"),
    ("unconfirmed", "确认"),
    ("no declaration", "信息真实性承诺"),
])
def test_a_press_the_one_write_cannot_take_is_refused_with_the_reason(
        client, complete_draft, users, time_machine, case, message):
    time_machine.move_to(at("2026-05-05 23:00:00"), tick=False)
    user = users["hefei_applicant"]
    data = {"declaration": "on", "token": "press-1", "expected_state": "draft"}
    if case == "viewer":
        OrgMembership.objects.update_or_create(user=user, defaults={"organisation": user.organisation,
                                                                    "role": OrgRole.VIEWER, "active": True})
    elif case == "unconfirmed":
        user.organisation.status = OrgStatus.PENDING
        user.organisation.save(update_fields=["status"])
    else:
        del data["declaration"]
    signin(client, user)
    response = client.post(f"/applications/{complete_draft.pk}/check/", data)
    body = response.content.decode() if response.status_code == 200 else client.get(response["Location"]).content.decode()
    assert message in body
    assert not SubmissionReceipt.objects.exists()


def test_another_organisations_application_cannot_be_pressed(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-05-05 23:00:00"), tick=False)
    signin(client, users["wuhu_applicant"])
    assert press(client, complete_draft).status_code == 404
    assert not SubmissionReceipt.objects.exists()


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


@pytest.mark.parametrize("waited, delay", [(0, 2), (8, 2), (9, 3), (30, 10), (44, 14), (45, 15), (3600, 15)])
def test_the_longer_a_press_waits_the_less_often_its_page_asks(waited, delay):
    from datetime import timedelta

    assert receipts.poll_delay(timedelta(seconds=waited)) == delay


def test_the_poll_answers_with_the_next_delay_then_reloads_the_page_once_checked(
        client, complete_draft, users, time_machine, django_assert_max_num_queries):
    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    signin(client, users["hefei_applicant"])
    press(client, complete_draft)
    poll = f"/applications/{complete_draft.pk}/confirmation/poll/"
    page = client.get(f"/applications/{complete_draft.pk}/confirmation/").content.decode()
    since = int(at("2026-05-05 23:58:00").timestamp())
    assert f"{poll}?since={since}" in page
    time_machine.move_to(at("2026-05-05 23:58:30"), tick=False)
    with django_assert_max_num_queries(3):  # the session, the user, whether the press is still pending
        answer = client.get(f"{poll}?since={since}", HTTP_HX_REQUEST="true")
    body = answer.content.decode()
    assert answer.status_code == 200 and 'hx-trigger="load delay:10s"' in body and "<html" not in body
    assert "HX-Refresh" not in answer
    odd = client.get(f"{poll}?since=yesterday", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="load delay:2s"' in odd  # a mangled time only makes it ask sooner

    run_queued_tasks()
    answer = client.get(poll, HTTP_HX_REQUEST="true")
    assert answer["HX-Refresh"] == "true" and answer.content == b""
    assert client.get(poll)["Location"].endswith(f"/{complete_draft.pk}/confirmation/")  # opened by hand


def _others_in_the_queue(user, *, ahead: int, checked: int, checked_from: str, checked_to: str,
                         name: str = "排在前面的申报"):
    """`ahead` presses of another draft waiting, received before 23:58:00, and `checked` presses the
    workers checked evenly from `checked_from` to `checked_to`."""
    from datetime import timedelta

    other = application_create(user=user, clause="2", project_name=name)
    start, end = at(checked_from), at(checked_to)
    step = (end - start) / max(checked - 1, 1)
    SubmissionReceipt.objects.bulk_create(
        [SubmissionReceipt(application=other, token=f"{name}-ahead-{i}", user=user, received_at=at("2026-05-05 23:57:00")
                           + timedelta(milliseconds=i), expected_state="draft") for i in range(ahead)]
        + [SubmissionReceipt(application=other, token=f"{name}-done-{i}", user=user, received_at=at("2026-05-05 23:56:00"),
                             expected_state="draft", outcome=ReceiptOutcome.ACCEPTED, processed_at=start + step * i)
           for i in range(checked)])


@pytest.mark.parametrize("ahead, checked, delay", [
    (59, 30, 3),    # 60 to check (its own included) at the workers' pace of 30 in 2.9 s: 5.8 s; asks at half
    (9, 30, 1),     # 10 to check: about 1 s
    (399, 30, 5),   # a long queue: asked about again in 5 s at the most, the pace may change by then
    (0, 30, 1),     # next in line: asked about again in a second, not two
])
def test_the_page_and_its_poll_ask_again_when_the_workers_should_have_reached_the_press(
        client, complete_draft, users, time_machine, ahead, checked, delay):
    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    _others_in_the_queue(users["hefei_applicant"], ahead=ahead, checked=checked,
                         checked_from="2026-05-05 23:57:57.1", checked_to="2026-05-05 23:58:00")
    signin(client, users["hefei_applicant"])
    press(client, complete_draft)
    page = client.get(f"/applications/{complete_draft.pk}/confirmation/").content.decode()
    assert f'hx-trigger="load delay:{delay}s"' in page and f'<meta http-equiv="refresh" content="{delay}">' in page
    since = int(at("2026-05-05 23:58:00").timestamp())
    answer = client.get(f"/applications/{complete_draft.pk}/confirmation/poll/?since={since}", HTTP_HX_REQUEST="true")
    assert f'hx-trigger="load delay:{delay}s"' in answer.content.decode()


def test_without_a_pace_to_go_by_the_page_asks_by_how_long_the_press_has_waited(
        client, complete_draft, users, time_machine):
    """Four checks in the last three seconds (the workers just started, or were idle) are too few
    to time a queue of 40 by: the page asks again in 2 s, as when nothing was checked lately; so do
    checks older than three seconds."""
    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    _others_in_the_queue(users["hefei_applicant"], ahead=39, checked=4,
                         checked_from="2026-05-05 23:57:59", checked_to="2026-05-05 23:58:00")
    _others_in_the_queue(users["hefei_applicant"], ahead=0, checked=50, checked_from="2026-05-05 23:57:52",
                         checked_to="2026-05-05 23:57:56.9", name="三秒前核验完的申报")
    signin(client, users["hefei_applicant"])
    press(client, complete_draft)
    page = client.get(f"/applications/{complete_draft.pk}/confirmation/").content.decode()
    assert 'hx-trigger="load delay:2s"' in page
    # 200 presses before it and still no pace: the 2 s would be a poll wasted while the web is
    # busiest; taken at a pace of 50 checks a second, it asks in 4 s; 500 before it, in 5 s at
    # the most, as the workers may be faster than that.
    since = int(at("2026-05-05 23:58:00").timestamp())
    for more, delay in ((160, 4), (300, 5)):
        _others_in_the_queue(users["hefei_applicant"], ahead=more, checked=0, checked_from="2026-05-05 23:57:49",
                             checked_to="2026-05-05 23:57:49.9", name=f"又有{more}份申报在前面")
        answer = client.get(f"/applications/{complete_draft.pk}/confirmation/poll/?since={since}",
                            HTTP_HX_REQUEST="true")
        assert f'hx-trigger="load delay:{delay}s"' in answer.content.decode()


def test_another_organisation_cannot_poll_a_press(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-05-05 23:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    press(client, complete_draft)
    client.logout()
    signin(client, users["wuhu_applicant"])
    assert client.get(f"/applications/{complete_draft.pk}/confirmation/poll/", HTTP_HX_REQUEST="true").status_code == 404


def test_a_press_in_a_closed_batch_is_refused_on_the_spot_while_another_batch_is_open(
        client, login, complete_draft, users, time_machine):
    """The one-write path judges the application's own batch's window, not the default batch's:
    a 2026 draft pressed while only the 2027 batch takes applications is told at once, not shown
    正在核验 and refused seconds later."""
    from tests.policy.test_batches import load_second

    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    load_second(client, login, users["province"])
    time_machine.move_to(at("2027-03-10 10:00:00"), tick=False)  # only the 2027 batch is open
    signin(client, users["hefei_applicant"])
    response = press(client, complete_draft)
    assert response.status_code == 200
    assert "申报系统已于2026年5月5日 23:59关闭" in response.content.decode()
    assert not SubmissionReceipt.objects.exists()
