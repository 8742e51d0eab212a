"""django-axes: five failures in a row lock the account for 30 minutes; the page says so."""

from datetime import timedelta

import pytest

from duixian.audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client, password, username="hefei_applicant"):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_fifth_failure_locks_the_account_and_the_page_says_so_in_chinese(client, users, time_machine):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    for _ in range(4):
        response = attempt(client, "wrong")
        assert response.status_code == 200
        assert "连续 5 次登录失败，账号将被锁定 30 分钟" in response.content.decode()
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "账号已锁定" in body and "锁定 30 分钟" in body

    # The right password does not help while locked, and the account is locked from any address.
    assert attempt(client, PASSWORD).status_code == 429
    assert client.post("/accounts/login/", {"username": "hefei_applicant", "password": PASSWORD},
                       REMOTE_ADDR="10.9.9.9").status_code == 429
    # Another account is not affected.
    from django.test import Client

    assert attempt(Client(), PASSWORD, username="wuhu_applicant").status_code == 302

    time_machine.move_to("2026-04-20 10:29:59+08:00", tick=False)
    assert attempt(client, PASSWORD).status_code == 429
    time_machine.move_to("2026-04-20 10:30:01+08:00", tick=False)
    assert attempt(client, PASSWORD).status_code == 302


def test_a_success_resets_the_count_so_only_failures_in_a_row_lock(client, users):
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200
    assert attempt(client, PASSWORD).status_code == 302


def test_failures_lockout_and_success_are_audited(client, users, time_machine):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    for _ in range(5):
        attempt(client, "wrong")
    time_machine.shift(timedelta(minutes=31))
    attempt(client, PASSWORD)
    rows = list(AuditEvent.objects.filter(username="hefei_applicant").values_list("action", "outcome"))
    assert rows.count(("login", "failure")) == 5
    assert ("login.locked", "failure") in rows
    assert rows[-1] == ("login", "success")
    assert AuditEvent.objects.filter(action="login", outcome="failure").first().ip == "127.0.0.1"
