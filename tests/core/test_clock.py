from datetime import datetime, timedelta

import pytest
from django.test import override_settings

from duixian.core import clock

pytestmark = pytest.mark.django_db


def test_real_clock_outside_demo_mode(time_machine):
    time_machine.move_to("2026-11-29T08:00:00+08:00", tick=False)
    assert clock.now() == datetime(2026, 11, 29, 8, 0, tzinfo=clock.SHANGHAI)


def test_demo_clock_refused_outside_demo_mode():
    with pytest.raises(clock.DemoClockDisabled):
        clock.set_demo_time(clock.DEMO_START)


@override_settings(DEMO_MODE=True)
def test_demo_clock_runs_on_from_the_time_it_was_set(time_machine):
    time_machine.move_to("2026-11-29T08:00:00+08:00", tick=False)
    clock.set_demo_time(clock.DEMO_START)
    assert clock.now() == clock.DEMO_START
    time_machine.shift(timedelta(minutes=5))
    assert clock.now() == clock.DEMO_START + timedelta(minutes=5)


def test_demo_clock_is_ignored_when_demo_mode_is_off(time_machine):
    time_machine.move_to("2026-11-29T08:00:00+08:00", tick=False)
    with override_settings(DEMO_MODE=True):
        clock.set_demo_time(clock.DEMO_START)
    assert clock.now().year == 2026 and clock.now().month == 11


@override_settings(DEMO_MODE=True)
def test_inside_a_request_the_demo_clock_is_read_once_and_still_runs_on(time_machine, django_assert_num_queries):
    time_machine.move_to("2026-11-29T08:00:00+08:00", tick=False)
    clock.set_demo_time(clock.DEMO_START)
    clock._request_begins()
    try:
        with django_assert_num_queries(1):
            assert clock.now() == clock.DEMO_START
            time_machine.shift(timedelta(minutes=5))
            assert clock.now() == clock.DEMO_START + timedelta(minutes=5)
        # Moving the clock in the same request (the province's demo clock page) is seen at once.
        clock.set_demo_time(datetime(2026, 5, 5, 23, 0, tzinfo=clock.SHANGHAI))
        assert clock.now() == datetime(2026, 5, 5, 23, 0, tzinfo=clock.SHANGHAI)
    finally:
        clock._request_ends()


@pytest.mark.slow
def test_the_demo_migrates_a_fresh_database(tmp_path):
    """`make run` on a fresh machine: `duixian migrate` in demo mode runs Django's system checks
    first, which build a User whose date_joined asks the clock for "now" before the clock's table
    exists. It must answer with the real time, not fail."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(DUIXIAN_DEMO="1", DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
               DUIXIAN_VAR_DIR=str(tmp_path / "var"), MEDIA_ROOT=str(tmp_path / "media"))
    duixian = str(Path(sys.executable).parent / "duixian")
    checked = subprocess.run([duixian, "check"], env=env, capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stderr[-2000:]
    migrated = subprocess.run([duixian, "migrate", "--noinput"], env=env, capture_output=True, text=True,
                              timeout=600)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
