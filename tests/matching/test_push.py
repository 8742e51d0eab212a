"""政策找企业 pushes (issue 19 item 1): when a batch opens, or a profile change makes a clause newly
可能符合, each member is told once, in-app, by email and by text, on the channels they kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail

from duixian.authz.roles import Role
from duixian.applications.models import Notification
from duixian.audit.models import AuditEvent
from duixian.matching.models import MatchNotice
from duixian.matching.push import batch_openings_send_due
from duixian.orgs.services import organisation_profile_update
from duixian.policy.services import pack_version_load
from tests.applications.conftest import at
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SECOND = Path(__file__).parents[1] / "policy" / "packs" / "made-up-2027.yaml"


@pytest.fixture
def mailing(settings):
    settings.EMAIL_HOST = "smtp.example.org"  # a mail server is configured
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_GATEWAY = "tests.matching.test_push.RecordingGateway"
    RecordingGateway.sent.clear()


class RecordingGateway:
    sent: list = []

    def send(self, phone, text):
        self.sent.append((phone, text))


def second_batch_opens(users, time_machine):
    time_machine.move_to(at("2026-12-01 10:00:00"), tick=False)
    pack_version_load(SECOND.read_text(encoding="utf-8"), user=users["province"], note="（虚构）2027年度通知")
    time_machine.move_to(at("2027-03-02 09:00:00"), tick=False)


def test_each_member_is_told_once_when_a_second_batch_opens(users, time_machine, mailing, django_capture_on_commit_callbacks):
    applicant = users["hefei_applicant"]
    applicant.phone = "13155113928"
    applicant.save()
    second_batch_opens(users, time_machine)

    with django_capture_on_commit_callbacks(execute=True):
        assert batch_openings_send_due() == 2  # both organisations
    note = Notification.objects.get(user=applicant, event="matching.batch_opened")
    assert "新批次开放申报" in note.title and "（虚构）" in note.title
    assert "可能符合" in note.body and note.link == "/dashboard/#matches"
    assert [m.to for m in mail.outbox if "新批次开放申报" in m.subject] == [[applicant.email], [users["wuhu_applicant"].email]]
    assert RecordingGateway.sent == [("13155113928", f"【政策兑现平台】{note.title}")]
    assert AuditEvent.objects.filter(action="matching.batch_opened.notify", object_id="made-up-2027").exists()

    assert batch_openings_send_due() == 0  # never twice
    assert Notification.objects.filter(user=applicant, event="matching.batch_opened").count() == 1
    assert MatchNotice.objects.filter(batch_id="made-up-2027").count() == 2


def test_an_organisation_registered_after_the_window_opened_is_not_told(users, time_machine, hefei_org):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    assert batch_openings_send_due() == 0  # both registered while the 2026 window was open


def test_a_member_who_unsubscribed_a_channel_gets_nothing_on_it(client, login, users, time_machine, mailing,
                                                                django_capture_on_commit_callbacks):
    applicant = users["hefei_applicant"]
    login(client, applicant)
    response = client.post("/matching/channels/", {"in_app": "on"})  # email and text off
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="matching.channels.set", username=applicant.username).exists()
    second_batch_opens(users, time_machine)

    with django_capture_on_commit_callbacks(execute=True):
        batch_openings_send_due()
    assert Notification.objects.filter(user=applicant, event="matching.batch_opened").exists()
    assert applicant.email not in [to for m in mail.outbox for to in m.to]


def test_a_profile_change_that_makes_a_clause_possible_is_told_once(users, hefei_org, time_machine, mailing,
                                                                    django_capture_on_commit_callbacks):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    hefei_org.owns_ip = None
    hefei_org.save()
    applicant = users["hefei_applicant"]

    with django_capture_on_commit_callbacks(execute=True):
        organisation_profile_update(hefei_org, {"owns_ip": True}, user=applicant)
    told = Notification.objects.filter(user=applicant, event="matching.clause_possible")
    assert [n.title for n in told] == ["单位信息变更后可能符合：第二条 促进垂类模型应用"]
    assert "单位信息变更后可能符合" in mail.outbox[-1].subject
    assert AuditEvent.objects.filter(action="matching.clause_possible.notify").exists()

    organisation_profile_update(hefei_org, {"owns_ip": False}, user=applicant)
    organisation_profile_update(hefei_org, {"owns_ip": True}, user=applicant)
    assert told.count() == 1  # possible again: not told twice


def test_only_applicants_set_channels(client, login, users):
    login(client, users["hefei_clerk"])
    assert client.get("/matching/channels/").status_code == 404
    member = make_user("viewer", Role.APPLICANT, organisation=users["hefei_applicant"].organisation)
    login(client, member)
    assert 'id="channels-form"' in client.get("/matching/channels/").content.decode()


def test_every_workers_housekeeping_sends_them(users, time_machine):
    from duixian.ops.housekeeping import housekeeping_once

    second_batch_opens(users, time_machine)
    housekeeping_once()
    assert MatchNotice.objects.filter(batch_id="made-up-2027", event="batch_opened").count() == 2
