"""Sessions end after 30 minutes without a request; activity starts the 30 minutes again, at most
once a minute (SESSION_REFRESH_SECONDS), so a session ends 29 to 30 minutes after the last request."""

from datetime import timedelta

import pytest

from tests.conftest import otp_login

pytestmark = pytest.mark.django_db


def test_idle_session_ends_after_thirty_minutes(client, users, time_machine):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    otp_login(client, users["hefei_applicant"])
    assert client.get("/dashboard/").status_code == 200

    time_machine.shift(timedelta(minutes=29, seconds=59))
    assert client.get("/dashboard/").status_code == 200  # activity: the 30 minutes start again

    time_machine.shift(timedelta(minutes=29, seconds=59))
    assert client.get("/dashboard/").status_code == 200

    time_machine.shift(timedelta(minutes=30, seconds=1))
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_staff_session_also_times_out(client, users, time_machine):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    otp_login(client, users["province"])
    assert client.get("/dashboard/").status_code == 200
    time_machine.shift(timedelta(minutes=30, seconds=1))
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_activity_moves_the_expiry_at_most_once_a_minute(client, users, time_machine):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    otp_login(client, users["hefei_applicant"])
    assert client.get("/dashboard/").status_code == 200  # 10:00:00, expiry 10:30:00

    time_machine.shift(timedelta(seconds=59))
    assert client.get("/dashboard/").status_code == 200  # 10:00:59, under a minute: expiry stays
    time_machine.shift(timedelta(minutes=29, seconds=2))  # 10:30:01
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_a_page_a_minute_later_moves_the_expiry(client, users, time_machine):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    otp_login(client, users["hefei_applicant"])
    assert client.get("/dashboard/").status_code == 200
    time_machine.shift(timedelta(seconds=60))
    assert client.get("/dashboard/").status_code == 200  # 10:01:00: expiry 10:31:00
    time_machine.shift(timedelta(minutes=29, seconds=59))  # 10:30:59
    assert client.get("/dashboard/").status_code == 200
