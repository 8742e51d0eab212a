"""duixian.core.workdays: working days under the 2026 holiday arrangement (劳动节 5-1…5-5, 5-9 调休上班)."""

import datetime as dt

import pytest

from duixian.core.workdays import add_working_days, is_workday, last_day_before, time_left, working_days_between

from .conftest import at

D = dt.date


def test_labour_day_holiday_and_adjusted_saturday():
    assert [is_workday(D(2026, 5, d)) for d in range(1, 10)] == [False] * 5 + [True, True, True, True]
    assert not is_workday(D(2026, 4, 26)) and is_workday(D(2026, 4, 30))


def test_working_days_between_inclusive():
    assert working_days_between(D(2026, 4, 28), D(2026, 5, 7)) == 5
    assert working_days_between(D(2026, 5, 1), D(2026, 5, 5)) == 0
    assert working_days_between(D(2026, 5, 7), D(2026, 5, 6)) == 0


def test_add_working_days_for_a_publicity_period():
    assert add_working_days(D(2026, 4, 30), 1) == D(2026, 4, 30)
    assert add_working_days(D(2026, 4, 30), 2) == D(2026, 5, 6)  # over the holiday
    assert add_working_days(D(2026, 5, 2), 1) == D(2026, 5, 6)  # starting on a holiday
    assert add_working_days(D(2026, 5, 6), 4) == D(2026, 5, 9)  # the adjusted Saturday counts
    with pytest.raises(ValueError):
        add_working_days(D(2026, 5, 6), 0)


def test_last_day_before_an_exclusive_deadline():
    assert last_day_before(at("2026-05-07 17:00:00")) == D(2026, 5, 7)
    assert last_day_before(at("2026-04-16 00:00:00")) == D(2026, 4, 15)


@pytest.mark.parametrize("moment, calendar, working, passed", [
    ("2026-04-30 18:00:00", 7, 3, False),  # 4-30, 5-6, 5-7
    ("2026-05-03 10:00:00", 4, 2, False),  # in the holiday
    ("2026-05-07 16:59:59", 0, 1, False),
    ("2026-05-07 17:00:00", 0, 0, True),
])
def test_time_left_to_the_city_deadline(moment, calendar, working, passed):
    left = time_left(at(moment), at("2026-05-07 17:00:00"))
    assert (left.calendar_days, left.working_days, left.passed) == (calendar, working, passed)
    assert left.calendar_known


def test_unknown_year_falls_back_to_weekdays():
    assert is_workday(D(2099, 1, 5)) and not is_workday(D(2099, 1, 3))
