"""The deadline reminder and the worker checking presses, at the same moment on PostgreSQL.

A reminder chunk locks up to reminders.CHUNK drafts in key order; the worker checks up to
receipts.CHECK_BATCH presses in one transaction, locking each press's draft in the order the
presses came in, not in key order. When the worker holds a later draft and then wants an
earlier one that the chunk holds, while the chunk waits for the worker's draft, the two wait
for each other: PostgreSQL breaks that after deadlock_timeout by failing one of them (the
chunk is rolled back, or the press is left pending for another try). The chunk leaves a draft
another transaction holds for the next round instead of waiting for it."""

import threading
import time

import pytest
from django.db import connection

from duixian.applications import receipts
from duixian.applications.models import Notification, ReceiptOutcome
from duixian.applications.receipts import receipts_check_pending, submission_receive
from duixian.applications.reminders import reminders_send_due
from duixian.applications.services import application_create, application_save_answers

from .conftest import CLAUSE2_ANSWERS, at, fill_materials

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of two connections at once"),
]


def _draft(user, name):
    app = application_create(user=user, clause="2", project_name=name)
    app = application_save_answers(app, dict(CLAUSE2_ANSWERS), user=user)
    fill_materials(app, user)
    return app


def _someone_waits_for_a_row_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity"
                       " WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0] > 0


def test_a_reminder_chunk_and_the_worker_checking_presses_do_not_deadlock(settings, users, time_machine, monkeypatch):
    settings.SUBMISSIONS_QUEUED = True
    monkeypatch.setattr(receipts, "_failed_at", {})
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    user = users["hefei_applicant"]
    earlier, later = _draft(user, "先建的项目"), _draft(user, "后建的项目")
    time_machine.move_to(at("2026-05-05 22:30:00"), tick=False)  # the 2-hour reminder's period
    pressed_first = submission_receive(later, user=user, token="press-later", declaration=True)
    pressed_next = submission_receive(earlier, user=user, token="press-earlier", declaration=True)

    errors = []

    def reminder():
        try:
            reminders_send_due()
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    reminding = threading.Thread(target=reminder)
    submit = receipts.application_submit

    def submit_then_remind(app, **kwargs):
        result = submit(app, **kwargs)
        if app.pk == later.pk:  # the worker holds the later draft: the reminder starts now
            reminding.start()
            deadline = time.monotonic() + 10
            while reminding.is_alive() and not _someone_waits_for_a_row_lock() and time.monotonic() < deadline:
                time.sleep(0.02)
        return result

    monkeypatch.setattr(receipts, "application_submit", submit_then_remind)
    receipts_check_pending()
    reminding.join(30)

    assert errors == []
    for receipt in (pressed_first, pressed_next):
        receipt.refresh_from_db()
        assert receipt.outcome == ReceiptOutcome.ACCEPTED
    # The draft the worker held was submitted, never told; the other was told while still a draft.
    told = set(Notification.objects.filter(event="deadline_reminder_2h").values_list("application_id", flat=True))
    assert told == {earlier.pk}
