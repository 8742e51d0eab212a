"""Sessions end after 30 minutes without a request; each request starts the 30 minutes again."""

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
