"""What the worker's check of the submit presses costs the database (issue 22: every CPU-ms the
workers spend is taken from the pages on the same two cores). An idle worker asks every 0.2 s:
one indexed query, no transaction. A press costs at most CHECK_QUERIES_A_PRESS queries (the
session-9 check took 15 and 6 a batch: the token looked up before the lock, the receipt's outcome
written press by press). A token used before still answers the earlier submission, found when
the second attempt fails. Run on SQLite and on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duixian.applications import receipts
from duixian.applications.models import ApplicationState, ReceiptOutcome, Submission, SubmissionReceipt
from duixian.applications.receipts import receipts_check_pending, submission_receive
from duixian.applications.services import application_submit
from duixian.audit.models import AuditEvent
from duixian.orgs.models import OrgMembership, OrgRole

from .conftest import at
from .test_receipts_batch import another_draft

pytestmark = pytest.mark.django_db

# Per press: two savepoints (its own, the transition's) opened and released, the application
# locked, its materials, the registries in force, its submissions counted, the submission, the
# application's UPDATE, its history, its audit row and the notification.
CHECK_QUERIES_A_PRESS = 13
# Per transaction of up to CHECK_BATCH presses: the idle check, the presses taken and their
# outcomes recorded in one UPDATE, with BEGIN and COMMIT (a savepoint in a test; the audit rows'
# sealing after the commit does not run here), and one to spare.
CHECK_QUERIES_A_BATCH = 6


@pytest.fixture(autouse=True)
def _queued(settings, monkeypatch):
    settings.SUBMISSIONS_QUEUED = True
    monkeypatch.setattr(receipts, "_failed_at", {})


def test_an_idle_poll_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert receipts_check_pending() == 0


def test_an_idle_poll_with_only_checked_presses_is_one_query(
        complete_draft, users, time_machine, django_assert_num_queries):
    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    submission_receive(complete_draft, user=users["hefei_applicant"], token="p-1", declaration=True)
    assert receipts_check_pending() == 1
    with django_assert_num_queries(1):
        assert receipts_check_pending() == 0


def test_checking_presses_stays_under_its_query_ceiling(
        complete_draft, users, time_machine, django_assert_max_num_queries):
    """Eight presses of eight drafts: all submitted, each with its audit row, within the ceiling
    (before this change the check made 15 queries a press and 6 a batch: 126 for these, over 110)."""
    user = users["hefei_applicant"]
    # a member of the organisation, as registration makes every applicant (the suite's account has
    # no row, and each check would ask whether its organisation has a manager)
    OrgMembership.objects.create(user=user, organisation=user.organisation, role=OrgRole.MANAGER)
    apps = [complete_draft, *(another_draft(user, f"项目{n}") for n in range(7))]
    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    taken = [submission_receive(app, user=user, token=f"p-{n}", declaration=True) for n, app in enumerate(apps)]
    with django_assert_max_num_queries(len(apps) * CHECK_QUERIES_A_PRESS + CHECK_QUERIES_A_BATCH):
        assert receipts_check_pending() == len(apps)
    assert {r.outcome for r in SubmissionReceipt.objects.filter(pk__in=[r.pk for r in taken])} == {ReceiptOutcome.ACCEPTED}
    assert Submission.objects.filter(application__in=apps).count() == len(apps)
    submitted = AuditEvent.objects.filter(action="application.submit", outcome="success")
    assert sorted(submitted.values_list("object_id", flat=True)) == sorted(str(app.pk) for app in apps)


def test_a_short_batch_ends_the_round(complete_draft, users, time_machine, django_assert_num_queries):
    """Fewer pending presses than a batch: they were all there was, so the worker does not open a
    second transaction to find the queue empty."""
    user = users["hefei_applicant"]
    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    submission_receive(complete_draft, user=user, token="p-1", declaration=True)
    receipts_check_pending()
    other = another_draft(user)
    submission_receive(other, user=user, token="p-2", declaration=True)
    with CaptureQueriesContext(connection) as queries:
        assert receipts_check_pending() == 1
    takes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "applications_submissionreceipt"."id"')]
    assert len(takes) == 1, [sql[:120] for sql in takes]


def test_a_token_used_before_answers_the_earlier_submission(complete_draft, users, time_machine):
    """The same form sent twice straight to the service: the second call changes nothing (one
    submission, one history entry, one audit row) and answers the submitted application."""
    user = users["hefei_applicant"]
    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    application_submit(complete_draft, user=user, token="t-1", declaration=True)
    again = application_submit(complete_draft, user=user, token="t-1", declaration=True, expected_state="draft")
    assert again.state == ApplicationState.SUBMITTED
    assert Submission.objects.filter(application=complete_draft).count() == 1
    assert complete_draft.history.count() == 1
    assert AuditEvent.objects.filter(action="application.submit").count() == 1


def test_a_token_used_before_answers_even_where_the_press_would_be_refused(complete_draft, users, time_machine):
    """The token of a submission comes again after the window closed: the earlier submission
    answers (as the check before the attempt answered), not the window's refusal."""
    user = users["hefei_applicant"]
    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    application_submit(complete_draft, user=user, token="t-1", declaration=True)
    time_machine.move_to(at("2026-05-06 00:30:00"), tick=False)
    again = application_submit(complete_draft, user=user, token="t-1", declaration=True, expected_state="draft")
    assert again.state == ApplicationState.SUBMITTED
    assert Submission.objects.filter(application=complete_draft).count() == 1
    assert not AuditEvent.objects.filter(outcome="refused").exists()


def test_the_transitions_update_writes_what_the_submission_set(complete_draft, users, time_machine):
    """The submission's UPDATE (a statement written once per set of fields) stores the new state,
    version and time and every field the submission set, as read back through the ORM."""
    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    done = application_submit(complete_draft, user=users["hefei_applicant"], token="t-1", declaration=True)
    stored = type(done).objects.get(pk=done.pk)
    for name in ("state", "version", "updated_at", "first_submitted_at", "last_submitted_at",
                 "declaration_confirmed", "pack_version", "reference", "amount_requested_wan"):
        assert getattr(stored, name) == getattr(done, name), name
    assert stored.state == ApplicationState.SUBMITTED and stored.version == 1
    assert stored.first_submitted_at == at("2026-05-05 23:58:00") and stored.reference.startswith("DX2026-")


def test_a_writer_slipping_in_between_the_lock_and_the_update_is_a_conflict(complete_draft, users, time_machine):
    """SQLite ignores FOR UPDATE: a change that lands after the row was read makes the version
    check of the UPDATE match nothing, and the transition is refused whole (nothing of it stays)."""
    from django.db.models import F

    from duixian.applications.models import Application, StateChange
    from duixian.applications.workflow import TransitionConflict, application_transition

    def someone_else_writes(locked, moment):
        Application.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        return []

    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    with pytest.raises(TransitionConflict):
        application_transition(complete_draft, "submit", users["hefei_applicant"], before=someone_else_writes)
    stored = Application.objects.get(pk=complete_draft.pk)
    assert stored.state == ApplicationState.DRAFT and stored.version == 0  # the slipped-in write went back too
    assert not StateChange.objects.filter(application=complete_draft).exists()
    assert not AuditEvent.objects.filter(action="application.submit").exists()
