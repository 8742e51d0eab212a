"""Working days (工作日) under the State Council's holiday arrangement, and time left to a deadline.

Government deadlines and 公示 periods are counted in working days: weekends are off unless
adjusted to work (调休上班), and statutory holidays such as 劳动节 are off even on weekdays. The
calendar comes from the maintained `chinesecalendar` package (import name `chinese_calendar`),
which is updated every year when the arrangement is published. For a year it does not know yet
we fall back to Monday–Friday and say so (`calendar_known`), never crash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext

from duixian.core.clock import SHANGHAI


def calendar_known(day: dt.date) -> bool:
    try:
        import chinese_calendar

        chinese_calendar.is_workday(day)
    except (NotImplementedError, ImportError):
        return False
    return True


def is_workday(day: dt.date) -> bool:
    """True on a working day in mainland China (adjusted weekend workdays included)."""
    try:
        import chinese_calendar

        return bool(chinese_calendar.is_workday(day))
    except (NotImplementedError, ImportError):
        return day.weekday() < 5


def working_days_between(first: dt.date, last: dt.date) -> int:
    """Working days in [first, last], both days included; 0 when last is before first."""
    if last < first:
        return 0
    count, day = 0, first
    while day <= last:
        count += is_workday(day)
        day += dt.timedelta(days=1)
    return count


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day counting from `start` itself (n ≥ 1).

    A 公示 of 5 working days that starts on `start` ends on `add_working_days(start, 5)`: when
    `start` is a working day it is day 1; when it is not, day 1 is the next working day.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    day, counted = start, 0
    while True:
        if is_workday(day):
            counted += 1
            if counted == n:
                return day
        day += dt.timedelta(days=1)


def last_day_before(deadline: dt.datetime) -> dt.date:
    """The last local day on which work can still be done before an exclusive deadline.

    17:00 on 7 May leaves 7 May itself; 00:00 on 16 April leaves 15 April.
    """
    local = deadline.astimezone(SHANGHAI)
    if local.time() == dt.time(0, 0):
        return local.date() - dt.timedelta(days=1)
    return local.date()


@dataclass(frozen=True)
class TimeLeft:
    """What is left before an exclusive deadline, as a person counts it."""

    passed: bool
    calendar_days: int  # days from today to the last day, 0 on the last day itself
    working_days: int  # working days from today to the last day, both included
    last_day: dt.date
    calendar_known: bool

    @property
    def text(self) -> str:
        if self.passed:
            return gettext("已截止")
        if self.calendar_days == 0:
            return gettext("今天截止")
        return gettext("还剩 %(days)s 天（含今天共 %(working)s 个工作日）") % {
            "days": self.calendar_days, "working": self.working_days}


def time_left(moment: dt.datetime, deadline: dt.datetime) -> TimeLeft:
    last = last_day_before(deadline)
    today = moment.astimezone(SHANGHAI).date()
    if moment >= deadline:
        return TimeLeft(True, 0, 0, last, calendar_known(last))
    return TimeLeft(
        passed=False,
        calendar_days=max((last - today).days, 0),
        working_days=working_days_between(today, last),
        last_day=last,
        calendar_known=calendar_known(today) and calendar_known(last),
    )
