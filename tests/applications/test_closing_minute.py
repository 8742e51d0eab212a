"""The closing minute (docs/decisions/0001), stated where it matters: the task list, 确认信息,
the countdown, and reminders 3 days, 1 day and 2 hours before the close, at exact seconds."""

from datetime import datetime

import pytest
from django.test import override_settings

from duixian.applications import policy_bridge
from duixian.applications.models import Notification
from duixian.applications.reminders import reminders_send_due
from duixian.applications.services import application_create, application_submit
from duixian.audit.models import AuditEvent
from duixian.core.clock import SHANGHAI
from duixian.core.phases import deadline_statement

from .conftest import at, signin

pytestmark = pytest.mark.django_db

STATEMENT = "最后受理时刻：2026年5月5日 23:58:59（北京时间）；23:59 起不再受理。"


def reminders(app=None, event=None):
    qs = Notification.objects.filter(event__startswith="deadline_reminder_")
    if app is not None:
        qs = qs.filter(application=app)
    if event is not None:
        qs = qs.filter(event=f"deadline_reminder_{event}")
    return qs


def test_the_statement_is_derived_from_the_packs_instant():
    assert deadline_statement(policy_bridge.get_pack().application_close) == STATEMENT
    assert deadline_statement(policy_bridge.get_pack().city_review_deadline) == (
        "最后受理时刻：2026年5月7日 16:59:59（北京时间）；17:00 起不再受理。")
    # another reading (a 补充通知 closing at midnight) gives another text, with no code change
    midnight = datetime(2026, 5, 6, 0, 0, tzinfo=SHANGHAI)
    assert deadline_statement(midnight) == "最后受理时刻：2026年5月5日 23:59:59（北京时间）；2026年5月6日 00:00 起不再受理。"


def test_task_list_check_page_and_countdown_state_the_last_accepted_second(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-05-05 23:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    tasks = client.get(f"/applications/{complete_draft.pk}/tasks/").content.decode()
    assert STATEMENT in tasks
    assert 'data-deadline="2026-05-05T23:59:00+08:00"' in tasks and "countdown.js" in tasks
    check = client.get(f"/applications/{complete_draft.pk}/check/").content.decode()
    assert STATEMENT in check
    assert STATEMENT in client.get("/applications/").content.decode()  # 我的申报
    home = client.get("/").content.decode()
    assert STATEMENT in home and 'data-deadline="2026-05-05T23:59:00+08:00"' in home


def test_reminders_at_the_boundary_seconds_once_per_draft(complete_draft, users, time_machine):
    wuhu = users["wuhu_applicant"]
    wuhu_draft = application_create(user=wuhu, clause="2", project_name="芜湖港口调度大模型应用")
    steps = [
        ("2026-05-02 23:58:59", None, 0),   # 3 days before 23:59:00 is 5-2 23:59:00
        ("2026-05-02 23:59:00", "3d", 2),
        ("2026-05-02 23:59:01", None, 0),   # a second run sends nothing again
        ("2026-05-04 23:58:59", None, 0),
        ("2026-05-04 23:59:00", "1d", 2),
        ("2026-05-05 21:58:59", None, 0),
        ("2026-05-05 21:59:00", "2h", 2),
        ("2026-05-05 23:58:59", None, 0),
        ("2026-05-05 23:59:00", None, 0),   # closed: no more reminders
    ]
    for moment, event, count in steps:
        time_machine.move_to(at(moment), tick=False)
        assert reminders_send_due() == count, moment
        if event:
            for app in (complete_draft, wuhu_draft):
                sent = reminders(app, event).get()
                assert sent.organisation_id == app.organisation_id and sent.user_id is None
                assert STATEMENT in sent.body and app.project_name in sent.title
                assert sent.link == f"/applications/{app.pk}/tasks/"
    assert reminders().count() == 6
    assert AuditEvent.objects.filter(action="application.deadline_reminder").count() == 3


def test_a_submitted_application_is_not_reminded_and_a_late_draft_gets_only_the_current_reminder(
        complete_draft, users, time_machine):
    time_machine.move_to(at("2026-05-03 09:00:00"), tick=False)
    application_submit(complete_draft, user=users["hefei_applicant"], token="t", declaration=True)
    time_machine.move_to(at("2026-05-05 22:30:00"), tick=False)
    late = application_create(user=users["wuhu_applicant"], clause="2", project_name="最后时刻的申报")
    assert reminders_send_due() == 1
    assert list(reminders().values_list("application_id", "event")) == [(late.pk, "deadline_reminder_2h")]


def test_the_worker_housekeeping_sends_them(complete_draft, time_machine):
    from duixian.ops.housekeeping import JOBS, housekeeping_once

    assert "duixian.applications.reminders.reminders_send_due" in JOBS
    time_machine.move_to(at("2026-05-04 23:59:00"), tick=False)
    housekeeping_once()
    housekeeping_once()
    assert list(reminders(complete_draft).values_list("event", flat=True)) == ["deadline_reminder_1d"]


def test_the_statement_in_english_writes_the_date_the_english_way(client, time_machine):
    from django.conf import settings

    time_machine.move_to(at("2026-05-05 23:00:00"), tick=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/").content.decode()
    assert "Last second accepted: 5 May 2026, 23:58:59 (Beijing time); nothing is accepted from 23:59 on." in page


@override_settings(DEMO_MODE=True)
def test_moving_the_demo_clock_into_a_reminder_period_reminds_at_once(client, complete_draft, users, time_machine):
    """No worker needed: the province moves the demo clock to 4 May 23:59 and the draft's 1-day
    reminder is there when the applicant looks (the move runs every app's clock sweep)."""
    time_machine.move_to(at("2026-12-07 08:00:00"), tick=False)
    signin(client, users["province"])
    response = client.post("/demo/clock/", {"preset": "custom", "moment": "2026-05-04 23:59"})
    assert response.status_code == 302
    assert list(reminders(complete_draft).values_list("event", flat=True)) == ["deadline_reminder_1d"]
