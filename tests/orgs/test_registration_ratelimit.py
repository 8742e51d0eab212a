"""Anonymous registration and invitation links are limited per client address (RATE_LIMIT_REGISTER,
RATE_LIMIT_JOIN): a script is refused with a Chinese 429 page, a person or a busy office is not."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from duixian.accounts.models import User
from duixian.audit.models import AuditEvent
from duixian.orgs.consent import CONSENT_VERSION
from duixian.orgs.models import ConsentRecord, OrgMembership, Organisation
from duixian.codes.uscc import make_uscc
from tests.orgs.test_people import invite
from tests.orgs.test_registration import HEFEI_USCC, _fast_hashing, form_data, register  # noqa: F401

BAD_CHECK = HEFEI_USCC[:17] + ("0" if HEFEI_USCC[17] != "0" else "1")

pytestmark = pytest.mark.django_db


def valid(n: int) -> dict:
    """A complete registration of a distinct 合肥 organisation."""
    return form_data(uscc=make_uscc(f"91340104MA2TE{n:04d}"), name=f"合肥第{n}智能科技有限公司",
                     username=f"jbr_{n}")


def stored() -> tuple[int, int, int, int]:
    return (Organisation.objects.count(), User.objects.count(), ConsentRecord.objects.count(),
            OrgMembership.objects.count())


def test_the_twentieth_post_of_a_minute_registers_and_the_twenty_first_is_refused(time_machine):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    url = reverse("orgs:register")
    for _ in range(19):  # a busy office's attempts, some with mistakes
        response = Client().post(url, form_data(uscc=BAD_CHECK))
        assert response.status_code == 200 and "校验码错误" in response.content.decode()
    twentieth = Client().post(url, valid(20))
    assert twentieth.status_code == 302 and Organisation.objects.filter(uscc=valid(20)["uscc"]).exists()
    before = stored()

    refused = Client().post(url, valid(21))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    text = refused.content.decode()
    assert "请求过于频繁" in text and "每分钟 20 次" in text
    assert "请于 2026年4月20日 10:01（北京时间）之后再试，约 1 分钟后" in text
    assert "本次提交没有被处理，填写的内容没有保存" in text
    assert "注册申报单位" in text and 'id="main"' in text  # the normal page layout, not bare text
    assert stored() == before  # nothing half-saved
    assert not Organisation.objects.filter(uscc=valid(21)["uscc"]).exists()
    # The form itself still opens: only writes are counted.
    assert Client().get(url).status_code == 200


def test_a_trip_is_audited_once_per_window_with_the_address(time_machine, settings):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    settings.RATE_LIMIT_REGISTER = "2/m"  # read on each request: an operator's value applies at once
    url = reverse("orgs:register")
    for _ in range(2):
        assert Client().post(url, form_data(uscc="bad")).status_code == 200
    assert Client().post(url, valid(2)).status_code == 429
    assert Client().post(url, valid(3)).status_code == 429
    trips = AuditEvent.objects.filter(action="ratelimit.refused")
    assert trips.count() == 1
    trip = trips.get()
    assert trip.ip == "127.0.0.1" and trip.outcome == "refused"
    assert trip.detail["scope"] == "orgs.register" and trip.detail["rate"] == "2/m"
    assert trip.detail["until"] == "2026-04-20T10:01:00+08:00"


def test_behind_nginx_each_visitor_is_counted_on_its_own_address(time_machine, settings):
    """nginx overwrites X-Forwarded-For with the visitor's address; every request reaches Django
    from 127.0.0.1. One visitor's refusal must not block the others."""
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMIT_REGISTER = "2/m"
    url = reverse("orgs:register")
    script = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.23"}
    for _ in range(2):
        assert Client().post(url, form_data(uscc="bad"), **script).status_code == 200
    assert Client().post(url, valid(1), **script).status_code == 429
    # A made-up address written by the script itself is ignored: the proxy's entry counts.
    spoofed = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.9.9.9, 198.51.100.23"}
    assert Client().post(url, valid(1), **spoofed).status_code == 429
    applicant = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.50"}
    assert Client().post(url, valid(1), **applicant).status_code == 302
    assert AuditEvent.objects.get(action="ratelimit.refused").ip == "198.51.100.23"


def test_the_next_minute_opens_again_and_the_hour_still_counts(time_machine, settings):
    time_machine.move_to("2026-04-20 10:00:30+08:00", tick=False)
    settings.RATE_LIMIT_REGISTER = "1/m,2/h"
    url = reverse("orgs:register")
    assert Client().post(url, valid(1)).status_code == 302
    refused = Client().post(url, valid(2))
    assert refused.status_code == 429 and refused["Retry-After"] == "30"
    time_machine.move_to("2026-04-20 10:00:59+08:00", tick=False)
    assert Client().post(url, valid(2)).status_code == 429  # still the same minute
    time_machine.move_to("2026-04-20 10:01:00+08:00", tick=False)
    # A new minute, but the hour has seen 3 POSTs already (refused ones count: a script that
    # keeps trying stays out longer): refused until 11:00.
    hourly = Client().post(url, valid(2))
    assert hourly.status_code == 429 and hourly["Retry-After"] == str(59 * 60)
    assert "每小时 2 次" in hourly.content.decode() and "约 59 分钟后" in hourly.content.decode()
    time_machine.move_to("2026-04-20 11:00:00+08:00", tick=False)
    assert Client().post(url, valid(2)).status_code == 302
    assert Organisation.objects.count() == 2


def join(url, username, **extra):
    data = {"username": username, "full_name": "王同事", "phone": "13023098652", "password1": "Join#2026-strong",
            "password2": "Join#2026-strong", "consent": "on", "consent_version": CONSENT_VERSION}
    return Client().post(url, data, **extra)


def test_invitation_link_posts_are_limited_by_their_own_setting(time_machine, settings):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    manager = Client()
    register(manager, uscc=make_uscc("91340104MA2TE0001"))
    url = invite(manager)
    settings.RATE_LIMIT_JOIN = "2/m"
    first = join(url, "王 同事")  # a mistake (the user name): counted, nothing stored
    assert first.status_code == 200
    second = join(url, "colleague")
    assert second.status_code == 302 and User.objects.filter(username="colleague").exists()
    other_url = invite(manager)
    users = User.objects.count()
    third = join(other_url, "script_user")
    assert third.status_code == 429 and "请求过于频繁" in third.content.decode()
    assert User.objects.count() == users  # the invitation is still unused
    elsewhere = join(other_url, "second_colleague", REMOTE_ADDR="10.20.30.40")
    assert elsewhere.status_code == 302
