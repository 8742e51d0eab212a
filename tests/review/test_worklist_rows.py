"""The work list's row writer formats dates and amounts as Django's `date` and `localize` filters do
(issue 22: worked out once a page instead of once a row), in Chinese and in English."""

from datetime import date, datetime, timedelta, timezone as dt_timezone
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from duixian.review.templatetags.worklist import date_writer, number_writer

FORMATS = ["n月j日 H:i", "j F, H:i", r"Y-m-d \a\t D N jS P", "H:i:s A e", ""]
MOMENTS = [datetime(2026, month, day, hour, minute, tzinfo=dt_timezone.utc) + timedelta(seconds=7)
           for month, day, hour, minute in [(1, 1, 0, 0), (2, 28, 15, 59), (4, 20, 16, 30), (9, 9, 9, 9), (12, 31, 23, 1)]]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("format_string", FORMATS)
def test_dates_as_the_date_filter_writes_them(language, format_string):
    template = Template("{{ value|date:format_string }}")
    with translation.override(language):
        write = date_writer(format_string)
        for value in [*MOMENTS, date(2026, 4, 21), datetime(2026, 4, 21, 8, 5), None, ""]:
            if type(value) is date and any(char in format_string for char in "aAefgGhHiIOPsTuUZ"):
                continue  # the filter refuses a time format for a date; a row's date is a datetime
            expected = template.render(Context({"value": value, "format_string": format_string}))
            assert write(value) == expected, (value, format_string)


def test_a_moment_is_shown_in_beijing_time():
    with translation.override("zh-hans"):
        assert date_writer("n月j日 H:i")(datetime(2026, 4, 20, 16, 30, tzinfo=dt_timezone.utc)) == "4月21日 00:30"
    with translation.override("en"):
        assert date_writer("j F, H:i")(datetime(2026, 4, 20, 16, 30, tzinfo=dt_timezone.utc)) == "21 April, 00:30"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_amounts_as_the_localize_filter_writes_them(language, settings):
    template = Template('{% load l10n %}{% localize off %}{{ value|default_if_none:"—"|localize }}{% endlocalize %}')
    values = [Decimal("24.00"), Decimal("1234567.50"), Decimal("0.05"), Decimal("-3"), 7, 2.5, True, "—", "<&>"]
    for thousands in (False, True):
        settings.USE_THOUSAND_SEPARATOR = thousands
        with translation.override(language):
            write = number_writer()
            for value in values:
                assert write(value) == template.render(Context({"value": value})), (value, thousands)


def test_amounts_written_once_a_page_keep_their_own_digits():
    """The row writer keeps each amount's text for the page: equal values written otherwise
    (24.0 and 24.00, 1 and 1.0) are each written as Django writes them."""
    from decimal import Decimal

    from django.utils import translation
    from django.utils.formats import localize

    from duixian.review.templatetags.worklist import RowWriter

    for language in ("zh-hans", "en"):
        with translation.override(language):
            writer = RowWriter("/review/", "选择", "n月j日 H:i")
            for value in (Decimal("24.00"), Decimal("24.0"), Decimal("24"), 1, 1.0, Decimal("1234567.50"),
                          Decimal("24.00")):
                assert writer.amount(value) == str(localize(value, use_l10n=True)), value
            assert writer.amount(None) == "—"
