"""The worker checks up to receipts.CHECK_BATCH presses in one transaction, each in a savepoint
of its own (issue 22). Tried as a reviewer would: a database error in one press, a press whose
application moved on since it was taken, two presses of one application, the deadline judged
at the press and not at the check, and mail for a press whose check was rolled back. Run on
SQLite and on PostgreSQL (DATABASE_URL=postgres://…)."""

import pytest
from django.core import mail
from django.db import connection

from duixian.applications import receipts
from duixian.applications.models import ApplicationState, ReceiptOutcome, Submission, SubmissionReceipt
from duixian.applications.receipts import receipts_check_pending, submission_receive
from duixian.applications.services import application_create, application_save_answers
from duixian.audit.models import AuditEvent

from .conftest import CLAUSE2_ANSWERS, at, fill_materials

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queued(settings, monkeypatch):
    settings.SUBMISSIONS_QUEUED = True
    monkeypatch.setattr(receipts, "_failed_at", {})


def another_draft(user, name="第二个项目"):
    app = application_create(user=user, clause="2", project_name=name)
    app = application_save_answers(app, dict(CLAUSE2_ANSWERS), user=user)
    fill_materials(app, user)
    return app


def take(app, user, token):
    receipt = submission_receive(app, user=user, token=token, declaration=True)
    assert receipt.outcome == ReceiptOutcome.PENDING
    return receipt


def outcome(receipt):
    receipt.refresh_from_db()
    return receipt.outcome


def test_a_database_error_in_one_press_leaves_it_pending_and_the_others_submitted(
        complete_draft, users, time_machine, monkeypatch):
    """A real database error (not a Python one) after the press's submission was written: on
    PostgreSQL it aborts the transaction until the savepoint is rolled back. The press stays
    pending with nothing of it left (no submission, no audit row), the presses checked in the
    same transaction before and after it are submitted, each with one audit row."""
    user = users["hefei_applicant"]
    first = another_draft(user, "第一个")
    last = another_draft(user, "最后一个")
    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    r_first = take(first, user, "p-1")
    r_bad = take(complete_draft, user, "p-2")
    r_last = take(last, user, "p-3")
    submit = receipts.application_submit

    def fault_after_the_writes(app, **kwargs):
        result = submit(app, **kwargs)
        if app.pk == complete_draft.pk:
            with connection.cursor() as cursor:
                cursor.execute("SELECT * FROM no_such_table_here")
        return result

    monkeypatch.setattr(receipts, "application_submit", fault_after_the_writes)
    time_machine.move_to(at("2026-05-05 23:59:30"), tick=False)
    assert receipts_check_pending() == 3
    assert (outcome(r_first), outcome(r_bad), outcome(r_last)) == (
        ReceiptOutcome.ACCEPTED, ReceiptOutcome.PENDING, ReceiptOutcome.ACCEPTED)
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.DRAFT and not complete_draft.submissions.exists()
    submitted = AuditEvent.objects.filter(action="application.submit", outcome="success")
    assert sorted(submitted.values_list("object_id", flat=True)) == sorted([str(first.pk), str(last.pk)])

    monkeypatch.undo()
    monkeypatch.setattr(receipts, "_failed_at", {})
    time_machine.move_to(at("2026-05-06 00:00:30"), tick=False)  # tried again after the close
    assert receipts_check_pending() == 1
    assert outcome(r_bad) == ReceiptOutcome.ACCEPTED
    complete_draft.refresh_from_db()
    assert complete_draft.first_submitted_at == at("2026-05-05 23:58:00")
    assert AuditEvent.objects.filter(action="application.submit", outcome="success").count() == 3


def test_the_deadline_is_the_press_not_the_check_for_every_press_of_a_batch(complete_draft, users, time_machine):
    """Pressed at 23:58:59 (the last second before the 23:59 close) and checked after midnight:
    on time. A receipt stamped 23:59:00 (the closing second) is refused with the window's reason,
    in the same batch, without taking the on-time one with it."""
    user = users["hefei_applicant"]
    late_app = another_draft(user)
    time_machine.move_to(at("2026-05-05 23:58:59"), tick=False)
    on_time = take(complete_draft, user, "p-1")
    late = SubmissionReceipt.objects.create(  # the web refuses it; a receipt of that second is judged the same
        application=late_app, token="p-2", user=user, received_at=at("2026-05-05 23:59:00"), declaration=True,
        expected_state=late_app.state, ip="127.0.0.1")
    time_machine.move_to(at("2026-05-06 00:00:00"), tick=False)
    assert receipts_check_pending() == 2
    assert outcome(on_time) == ReceiptOutcome.ACCEPTED
    assert outcome(late) == ReceiptOutcome.REFUSED and "关闭" in late.message
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.SUBMITTED
    assert complete_draft.last_submitted_at == at("2026-05-05 23:58:59")
    late_app.refresh_from_db()
    assert late_app.state == ApplicationState.DRAFT
    refused = AuditEvent.objects.filter(action="application.submit", outcome="refused")
    assert list(refused.values_list("object_id", flat=True)) == [str(late_app.pk)]


def test_two_presses_of_one_application_in_one_batch_submit_it_once(complete_draft, users, hefei_org, time_machine):
    """Two members press 提交 for the same draft in the same second (two tabs, two tokens): both
    receipts are in one batch. The first submits, the second is refused with who submitted it; one
    submission, one success row in the audit trail, the second's refusal recorded once."""
    from tests.conftest import make_user
    from duixian.authz.roles import Role

    colleague = make_user("hefei_colleague", Role.APPLICANT, organisation=hefei_org)
    user = users["hefei_applicant"]
    time_machine.move_to(at("2026-05-05 23:58:59"), tick=False)
    first = take(complete_draft, user, "p-1")
    try:
        second = take(complete_draft, colleague, "p-2")
    except Exception:  # the colleague may not press at all: then there is nothing to check here
        second = SubmissionReceipt.objects.create(
            application=complete_draft, token="p-2", user=user, received_at=at("2026-05-05 23:58:59"),
            declaration=True, expected_state=complete_draft.state, ip="127.0.0.1")
    time_machine.move_to(at("2026-05-06 00:00:10"), tick=False)
    assert receipts_check_pending() == 2
    assert (outcome(first), outcome(second)) == (ReceiptOutcome.ACCEPTED, ReceiptOutcome.REFUSED)
    assert second.message
    assert Submission.objects.filter(application=complete_draft).count() == 1
    assert AuditEvent.objects.filter(action="application.submit", outcome="success").count() == 1
    assert AuditEvent.objects.filter(action="application.submit", outcome="refused").count() == 1


def test_a_press_of_an_organisation_no_longer_confirmed_is_refused_with_its_reason(
        complete_draft, users, hefei_org, time_machine):
    """The organisation's confirmation was withdrawn between the press and the check: that press is refused with
    the organisation's reason (judged when checked), the other organisation's press goes through."""
    from duixian.orgs.models import OrgStatus

    wuhu = users["wuhu_applicant"]
    other = another_draft(wuhu, "芜湖项目")
    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    mine = take(complete_draft, users["hefei_applicant"], "p-1")
    theirs = take(other, wuhu, "p-2")
    type(hefei_org).objects.filter(pk=hefei_org.pk).update(status=OrgStatus.REJECTED)
    assert receipts_check_pending() == 2
    assert outcome(mine) == ReceiptOutcome.REFUSED and mine.message
    assert outcome(theirs) == ReceiptOutcome.ACCEPTED


def test_no_mail_goes_out_for_a_press_whose_check_was_rolled_back(
        complete_draft, users, time_machine, monkeypatch, settings, django_capture_on_commit_callbacks):
    """The submission's notification mail is sent once the batch commits, and only for the presses
    whose savepoint stood: the one rolled back after its notification was written mails nobody."""
    settings.EMAIL_HOST = "smtp.example.com"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = users["hefei_applicant"]
    good = another_draft(user)
    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    take(good, user, "p-1")
    take(complete_draft, user, "p-2")
    submit = receipts.application_submit

    def fault_after_the_writes(app, **kwargs):
        result = submit(app, **kwargs)
        if app.pk == complete_draft.pk:
            with connection.cursor() as cursor:
                cursor.execute("SELECT * FROM no_such_table_here")
        return result

    monkeypatch.setattr(receipts, "application_submit", fault_after_the_writes)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert receipts_check_pending() == 2
    subjects_bodies = [f"{m.subject}\n{m.body}" for m in mail.outbox]
    assert subjects_bodies, "the good press's submission is mailed"
    assert not any(complete_draft.project_name in body or (complete_draft.reference or "@@") in body
                   for body in subjects_bodies)
    assert len(mail.outbox) == 1 and any(good.project_name in body for body in subjects_bodies)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks (SKIP LOCKED) exist on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_check_every_press_exactly_once(complete_draft, users, time_machine, monkeypatch):
    """Two workers run the queue at the same moment (threads, each with its own connection), in
    batches of 3 so each takes several: every press gets one outcome, every application one
    submission and one success row in the audit trail."""
    import threading

    from django.db import connections

    user = users["hefei_applicant"]
    apps = [complete_draft] + [another_draft(user, f"项目{i}") for i in range(11)]
    time_machine.move_to(at("2026-05-05 23:58:59"), tick=False)
    taken = [take(app, user, f"p-{app.pk}") for app in apps]
    monkeypatch.setattr(receipts, "CHECK_BATCH", 3)
    counts, errors = [], []

    def worker():
        try:
            counts.append(receipts_check_pending())
        except Exception as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors and sum(counts) == len(apps)
    assert [outcome(r) for r in taken] == [ReceiptOutcome.ACCEPTED] * len(apps)
    assert Submission.objects.count() == len(apps)
    rows = AuditEvent.objects.filter(action="application.submit", outcome="success")
    assert sorted(rows.values_list("object_id", flat=True)) == sorted(str(app.pk) for app in apps)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks exist on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_workers_that_deadlock_on_two_applications_lose_no_press(complete_draft, users, time_machine, monkeypatch):
    """Worker A takes X's first and Y's first press, worker B (at once) Y's second and X's second:
    A holds X and waits for Y, B holds Y and waits for X, so PostgreSQL breaks the deadlock by
    failing one of them. Each application is submitted once, and every press ends with one
    outcome: the failed one stays pending and is refused (already submitted) when tried again."""
    import threading

    from django.db import connections

    user = users["hefei_applicant"]
    x, y = complete_draft, another_draft(user)
    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    x1, y1, y2, x2 = take(x, user, "x1"), take(y, user, "y1"), take(y, user, "y2"), take(x, user, "x2")
    monkeypatch.setattr(receipts, "CHECK_BATCH", 2)
    real = receipts.application_submit
    a_took, both_hold = threading.Event(), threading.Barrier(2, timeout=20)

    def submit(app, **kwargs):
        if kwargs["token"] == "x1":
            a_took.set()
        result = real(app, **kwargs)
        if kwargs["token"] in ("x1", "y2"):
            both_hold.wait()  # A holds X, B holds Y
        return result

    monkeypatch.setattr(receipts, "application_submit", submit)
    errors = []

    def worker(first):
        try:
            if not first:
                a_took.wait(20)
            receipts_check_pending(limit=2)
        except Exception as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(first,)) for first in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    outcomes = {r.token: outcome(r) for r in (x1, y1, y2, x2)}
    assert list(outcomes.values()).count(ReceiptOutcome.PENDING) <= 1, outcomes
    monkeypatch.setattr(receipts, "_failed_at", {})
    receipts_check_pending()
    outcomes = {r.token: outcome(r) for r in (x1, y1, y2, x2)}
    assert sorted(outcomes.values()) == sorted([ReceiptOutcome.ACCEPTED] * 2 + [ReceiptOutcome.REFUSED] * 2), outcomes
    assert Submission.objects.filter(application=x).count() == 1 and Submission.objects.filter(application=y).count() == 1
    assert AuditEvent.objects.filter(action="application.submit", outcome="success").count() == 2
