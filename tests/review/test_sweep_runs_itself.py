"""Issue 15 item 5: the deadline sweep runs by itself, against the platform clock.

The city deadline (六、（三）"5 月 7 日下午 5 点前") is exclusive (docs/decisions/0001): at
2026-05-07 16:59:59 a submitted application is still the city's to review, at 17:00:00 it is
逾期. Nobody has to type `duixian review sweep`: the worker's housekeeping runs it when the
platform clock passes the deadline, moving the demo clock past it runs it at once, and the
逾期 page never says "没有逾期的申报" while overdue applications are still waiting.
"""

from datetime import timedelta

import pytest
from django.test import override_settings

from duixian.applications.models import Application
from duixian.core import clock
from duixian.ops.housekeeping import housekeeping_once

from .conftest import at, signin

pytestmark = pytest.mark.django_db


def state(app) -> str:
    return Application.objects.get(pk=app.pk).state


def test_the_worker_sweeps_at_the_deadline_second(submitted, time_machine):
    time_machine.move_to(at("2026-05-07 16:59:59"), tick=False)
    housekeeping_once()
    assert state(submitted) == "submitted"
    time_machine.shift(timedelta(microseconds=999_999))
    housekeeping_once()
    assert state(submitted) == "submitted"
    time_machine.move_to(at("2026-05-07 17:00:00"), tick=False)
    housekeeping_once()
    assert state(submitted) == "expired"


@override_settings(DEMO_MODE=True)
def test_the_worker_follows_the_demo_clock_not_the_real_one(submitted, time_machine):
    time_machine.move_to(at("2026-12-07 08:00:00"), tick=False)  # real time: long after the deadline
    clock.set_demo_time(at("2026-05-07 16:59:59"))
    housekeeping_once()
    assert state(submitted) == "submitted"
    time_machine.shift(timedelta(seconds=1))  # the demo clock runs on: now 17:00:00
    housekeeping_once()
    assert state(submitted) == "expired"


@override_settings(DEMO_MODE=True)
def test_moving_the_demo_clock_past_the_deadline_sweeps_at_once(client, submitted, users, time_machine):
    time_machine.move_to(at("2026-12-07 08:00:00"), tick=False)
    signin(client, users["province"])
    response = client.post("/demo/clock/", {"preset": "custom", "moment": "2026-05-07 16:59"})
    assert response.status_code == 302 and state(submitted) == "submitted"
    response = client.post("/demo/clock/", {"preset": "custom", "moment": "2026-05-07 18:00"}, follow=True)
    assert state(submitted) == "expired"
    assert "1 件仍待审核或退回未补正的申报已标记为逾期" in response.content.decode()
    page = client.get("/review/expired/").content.decode()
    assert submitted.reference in page and "没有逾期的申报" not in page


def test_the_expired_page_tells_the_truth_without_a_worker(client, submitted, users, time_machine):
    time_machine.move_to(at("2026-05-07 16:59:59"), tick=False)
    signin(client, users["province"])
    page = client.get("/review/expired/").content.decode()
    assert "尚未截止" in page and submitted.reference not in page
    # No worker ran: the page itself marks what the deadline left open before it lists them.
    time_machine.move_to(at("2026-05-07 18:00:00"), tick=False)
    signin(client, users["province"])  # a fresh session: the idle timeout counts real time
    page = client.get("/review/expired/").content.decode()
    assert submitted.reference in page and "没有逾期的申报" not in page
    assert state(submitted) == "expired"
    # and the city's work list no longer shows it as waiting for review
    signin(client, users["hefei_clerk"])
    page = client.get("/review/?state=submitted").content.decode()
    assert submitted.reference not in page
