"""The 2-hour reminder reaches every draft at once (the demo measured 12,600 of them at 21:59 on
the closing day): the drafts are told in chunks, each one transaction with its rows locked, its
notifications in one INSERT and its audit row. Each draft is told once, also when a second worker
runs at the same time, when a draft was told or submitted between the listing and the lock, and
when the audit row cannot be written (then nothing of that chunk is told, and the next round does it)."""

import pytest
from django.core import mail
from django.db import connection

from duixian.applications import reminders as module
from duixian.applications.models import Application, ApplicationState, Notification
from duixian.applications.reminders import reminders_send_due
from duixian.applications.services import application_create
from duixian.audit.models import AuditEvent
from tests.audit.failing import AuditDown, audit_insert_fails

from .conftest import at
from .test_upload_race import _side_by_side

pytestmark = pytest.mark.django_db

TWO_HOURS_BEFORE = "2026-05-05 21:59:00"


@pytest.fixture
def drafts(users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    made = [application_create(user=users[who], clause="2", project_name=f"草稿{i}-{who}")
            for i in range(6) for who in ("hefei_applicant", "wuhu_applicant")]
    time_machine.move_to(at(TWO_HOURS_BEFORE), tick=False)
    return made


def _told():
    return sorted(Notification.objects.filter(event="deadline_reminder_2h").values_list("application_id", flat=True))


def test_every_draft_is_told_once_with_queries_that_do_not_grow_with_the_drafts(drafts, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):  # was five or more a draft: sixty here
        assert reminders_send_due() == len(drafts)
    assert _told() == sorted(d.pk for d in drafts)
    note = Notification.objects.get(application=drafts[0], event="deadline_reminder_2h")
    assert note.organisation_id == drafts[0].organisation_id and note.link == f"/applications/{drafts[0].pk}/tasks/"
    assert "最后受理时刻：2026年5月5日 23:58:59（北京时间）" in note.body and drafts[0].project_name in note.title
    assert reminders_send_due() == 0  # a second round, or a second worker after the first: nothing again


def test_in_chunks_each_with_its_audit_row(drafts, monkeypatch):
    monkeypatch.setattr(module, "CHUNK", 5)
    assert reminders_send_due() == 12
    rows = AuditEvent.objects.filter(action="application.deadline_reminder").order_by("pk")
    assert [r.detail["sent"] for r in rows] == [5, 5, 2] and {r.detail["reminder"] for r in rows} == {"2h"}


def test_a_draft_told_or_submitted_after_the_listing_is_left_alone(drafts, monkeypatch):
    told_meanwhile, submitted_meanwhile = drafts[0], drafts[1]
    listed = module._unreminded_drafts

    def listing_then_race(reminder, batch_id):
        pks = list(listed(reminder, batch_id))  # what the worker listed; then another worker and a submit
        Notification.objects.create(organisation=told_meanwhile.organisation, event=reminder.event, title="t",
                                    application=told_meanwhile)
        Application.objects.filter(pk=submitted_meanwhile.pk).update(state=ApplicationState.SUBMITTED)
        return Application.objects.filter(pk__in=[a.pk for a in pks]).order_by("pk")

    monkeypatch.setattr(module, "_unreminded_drafts", listing_then_race)
    assert reminders_send_due() == len(drafts) - 2
    assert Notification.objects.filter(application=told_meanwhile).count() == 1
    assert not Notification.objects.filter(application=submitted_meanwhile).exists()


def test_a_chunk_whose_audit_row_fails_tells_nobody_and_the_next_round_does(drafts, monkeypatch):
    audit_insert_fails(monkeypatch, "application.deadline_reminder")
    with pytest.raises(AuditDown):
        reminders_send_due()
    assert _told() == []
    monkeypatch.undo()
    assert reminders_send_due() == len(drafts)


def test_each_organisation_is_mailed_after_the_commit(drafts, settings, django_capture_on_commit_callbacks, users,
                                                      django_assert_max_num_queries):
    settings.EMAIL_HOST = "smtp.example.org"
    for who in ("hefei_applicant", "wuhu_applicant"):
        users[who].email = f"{who}@example.org"
        users[who].save()
    # the members' addresses read once an organisation (two here), not once a draft, under the locks
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(14):
        reminders_send_due()
    assert len(mail.outbox) == len(drafts)
    assert sorted({to for m in mail.outbox for to in m.to}) == ["hefei_applicant@example.org", "wuhu_applicant@example.org"]
    assert all(m.subject.startswith("【政策兑现平台】申报即将截止（不足2小时）") for m in mail.outbox)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two workers at once, each on its own connection")
def test_two_workers_at_once_tell_each_draft_once(drafts, monkeypatch):
    import threading

    monkeypatch.setattr(module, "CHUNK", 3)
    start = threading.Barrier(2)
    counts, errors = [], []

    def worker():
        try:
            start.wait()
            counts.append(reminders_send_due())
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    _side_by_side(worker, worker)
    assert errors == [] and sum(counts) == len(drafts)
    assert _told() == sorted(d.pk for d in drafts)
