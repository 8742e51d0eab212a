"""A project name as long as the form takes (200 characters) behind a notification's words made a
title longer than its column: on PostgreSQL the submission (and every decision that tells the
organisation) failed with a database error, and the deadline reminder failed for its whole chunk of
drafts. The title is cut with an ellipsis; the notifications page still says it in English."""

import pytest
from django.utils import translation

from duixian.applications.models import Application, ApplicationState, Notification
from duixian.applications.reminders import reminders_send_due
from duixian.applications.services import application_create, application_submit

from .conftest import at

pytestmark = pytest.mark.django_db

LONGEST = "人工智能" * 50  # 200 characters: what the form accepts


def _title_fits(note):
    assert len(note.title) == Notification._meta.get_field("title").max_length and note.title.endswith("…")


def test_an_application_with_the_longest_name_is_submitted_and_told(complete_draft, users, time_machine):
    Application.objects.filter(pk=complete_draft.pk).update(project_name=LONGEST)
    complete_draft.refresh_from_db()
    time_machine.move_to(at("2026-05-01 10:00:00"), tick=False)
    application_submit(complete_draft, user=users["hefei_applicant"], token="t-longest", declaration=True)
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.SUBMITTED
    note = Notification.objects.get(application=complete_draft, event="application.submit")
    _title_fits(note)
    assert note.title.startswith("申报已提交：人工智能")
    with translation.override("en"):
        title, _body = note.shown
    assert "申报已提交" not in title and "人工智能" in title  # still recognised as its wording


def test_the_reminder_tells_every_draft_also_beside_one_with_the_longest_name(users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    short = application_create(user=users["hefei_applicant"], clause="2", project_name="短名")
    longest = application_create(user=users["hefei_applicant"], clause="2", project_name=LONGEST)
    time_machine.move_to(at("2026-05-05 22:00:00"), tick=False)
    assert reminders_send_due() == 2
    assert Notification.objects.filter(application=short, event="deadline_reminder_2h").exists()
    _title_fits(Notification.objects.get(application=longest, event="deadline_reminder_2h"))


def test_a_matching_message_with_a_long_title_is_stored_cut(users):
    """The matching push writes its own rows (one a member): a title longer than the column is cut
    the same way instead of failing the delivery."""
    from duixian.matching.push import deliver

    org = users["hefei_applicant"].organisation
    counts = deliver(org, "matching.test", title="很长的标题" * 50, body="正文", link="/")
    assert counts["in_app"] >= 1
    stored = Notification.objects.filter(event="matching.test").first()
    assert len(stored.title) == Notification._meta.get_field("title").max_length and stored.title.endswith("…")
