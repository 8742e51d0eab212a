"""duixian.core.ratelimit: windows on Beijing time, several rates at once, one audit row per trip,
settings checked at start-up, counters shared through the database."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory

from duixian.audit.models import AuditEvent
from duixian.core import checks, ratelimit
from duixian.core.ratelimit import parse_rates, refusal, too_many

pytestmark = pytest.mark.django_db


def post(address: str = "192.0.2.1"):
    request = RequestFactory().post("/orgs/register/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request


def test_a_day_ends_at_midnight_beijing_time_and_the_page_says_so(time_machine):
    time_machine.move_to("2026-04-20 23:00:00+08:00", tick=False)
    assert refusal(post(), "t", "1/d") is None
    refused = refusal(post(), "t", "1/d")
    assert refused.retry_after == 3600
    response = too_many(post(), refused)
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    text = response.content.decode()
    assert "每天 1 次" in text and "请于 2026年4月21日 00:00（北京时间）之后再试，约 1 小时后" in text
    time_machine.move_to("2026-04-20 23:59:59+08:00", tick=False)
    assert refusal(post(), "t", "1/d").retry_after == 1
    time_machine.move_to("2026-04-21 00:00:00+08:00", tick=False)
    assert refusal(post(), "t", "1/d") is None


def test_every_rate_must_hold_and_the_longest_wait_is_reported(time_machine):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    rates = "2/m,3/h"
    assert refusal(post(), "t", rates) is None
    assert refusal(post(), "t", rates) is None
    minute = refusal(post(), "t", rates)
    assert (minute.rate.text, minute.retry_after) == ("2/m", 60)
    time_machine.move_to("2026-04-20 10:01:00+08:00", tick=False)
    hour = refusal(post(), "t", rates)  # the 4th of the hour
    assert (hour.rate.text, hour.retry_after) == ("3/h", 59 * 60)


def test_a_look_counts_nothing(time_machine):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    for _ in range(5):
        assert refusal(post(), "t", "1/m", peek=True) is None
    ratelimit.count(post(), "t", "1/m")
    assert refusal(post(), "t", "1/m", peek=True).retry_after == 60
    assert refusal(post("192.0.2.2"), "t", "1/m", peek=True) is None


def test_the_first_refusal_of_each_window_is_audited_and_logged_the_rest_are_not(time_machine, caplog):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    with caplog.at_level(logging.WARNING, logger="duixian.security"):
        for _ in range(6):
            refusal(post(), "orgs.register", "1/m")
    events = AuditEvent.objects.filter(action="ratelimit.refused")
    assert events.count() == 1
    event = events.get()
    assert (event.ip, event.outcome, event.detail["scope"], event.detail["rate"]) == (
        "192.0.2.1", "refused", "orgs.register", "1/m")
    lines = [r.getMessage() for r in caplog.records if r.name == "duixian.security"]
    assert len(lines) == 1 and "orgs.register 1/m exceeded by 192.0.2.1" in lines[0]
    time_machine.move_to("2026-04-20 10:01:00+08:00", tick=False)
    refusal(post(), "orgs.register", "1/m")
    refusal(post(), "orgs.register", "1/m")
    assert events.count() == 2


def test_switched_off_nothing_is_refused(settings, time_machine):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    settings.RATELIMIT_ENABLED = False
    assert all(refusal(post(), "t", "1/m") is None for _ in range(5))


@pytest.mark.parametrize("value", ["", "20", "20/w", "0/m", "20/m,", "20/m;150/h", "20 /m"])
def test_a_malformed_rate_setting_stops_start_up(settings, value):
    settings.RATE_LIMIT_REGISTER = value
    errors = checks.rate_limits_are_readable(None)
    if value == "20/m,":  # a trailing comma is harmless
        assert errors == []
        return
    assert [e.id for e in errors] == ["duixian.E003"]
    assert "RATE_LIMIT_REGISTER" in errors[0].msg and "N/m" in errors[0].msg


def test_the_shipped_rates_parse():
    assert checks.rate_limits_are_readable(None) == []
    assert [r.text for r in parse_rates("20/m,150/h,600/d")] == ["20/m", "150/h", "600/d"]


def test_deploy_check_warns_while_counters_live_in_process_memory(settings):
    settings.RATELIMIT_STORE = "cache"
    assert [w.id for w in checks.rate_limit_counters_are_shared(None)] == ["duixian.W001"]
    settings.RATELIMIT_STORE = "database"
    assert checks.rate_limit_counters_are_shared(None) == []


def test_an_unknown_store_stops_start_up(settings):
    settings.RATELIMIT_STORE = "databse"
    assert [e.id for e in checks.rate_limits_are_readable(None)] == ["duixian.E004"]


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the shared store is for several processes on PostgreSQL; the test database of "
                           "SQLite is one in-memory file whose table locks refuse concurrent writers at once")
@pytest.mark.django_db(transaction=True)
def test_the_database_store_counts_for_every_process_and_loses_nothing_under_concurrency(settings, time_machine):
    """RATELIMIT_STORE=database: one row per window, incremented in one statement, so four gunicorn
    processes (here: threads with their own connections) do not make a limit four times looser."""
    import threading

    from django.db import connections

    from duixian.core.models import RateCounter

    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    settings.RATELIMIT_STORE = "database"
    refused = []

    def worker():
        try:
            for _ in range(10):
                found = refusal(post(), "t", "25/m")
                refused.append(found is not None)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert refused.count(False) == 25 and refused.count(True) == 15  # exactly the limit, not 4 × 25
    row = RateCounter.objects.get(bucket="ratelimit:t:ip192.0.2.1:60:1776650400")  # 10:00 Beijing
    assert row.count == 40
    assert AuditEvent.objects.filter(action="ratelimit.refused").count() == 1
    time_machine.move_to("2026-04-20 10:01:00+08:00", tick=False)
    assert refusal(post(), "t", "25/m") is None


def test_the_database_store_deletes_expired_rows_as_it_goes(settings, time_machine, monkeypatch):
    from duixian.core.models import RateCounter

    settings.RATELIMIT_STORE = "database"
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    refusal(post(), "t", "5/m")
    time_machine.move_to("2026-04-20 10:05:00+08:00", tick=False)
    monkeypatch.setattr(ratelimit, "_PURGE_EVERY", 1)
    refusal(post(), "t", "5/m")
    assert list(RateCounter.objects.values_list("bucket", flat=True)) == ["ratelimit:t:ip192.0.2.1:60:1776650700"]


def test_the_page_in_english(time_machine):
    from django.utils import translation

    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    refusal(post(), "t", "20/m")
    for _ in range(20):
        refused = refusal(post(), "t", "20/m")
    with translation.override("en"):
        text = too_many(post(), refused).content.decode()
    assert "Too many requests" in text and "(20 per minute)" in text
    assert "Please try again after 20 April 2026, 10:01 (Beijing time), in about 1 minute." in text
    assert "what you entered was not saved" in text


@pytest.mark.slow
def test_a_mistyped_rate_in_the_environment_stops_the_program_naming_it(tmp_path):
    """gunicorn runs no system checks, so the app itself refuses to load (core.apps.ready)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(RATE_LIMIT_OBJECTION="10/m;60/h", DUIXIAN_VAR_DIR=str(tmp_path), PYTHONIOENCODING="utf-8")
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'duixian.settings'; django.setup()"
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "RATE_LIMIT_OBJECTION='10/m;60/h' 无法识别" in result.stderr and "duixian.E003" in result.stderr
