"""Every template's `date` and `url` keep their results (duixian/core/templatetags/kept.py; issue 22):
a page must show exactly the moments and links Django's own filter and tag show, in every
language, time zone, format and path prefix, also the second time they are shown."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.template.defaultfilters import date as django_date
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import timezone, translation
from django.utils.html import conditional_escape

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")  # a zone with a repeated hour, unlike Shanghai

PAGE = engines["django"].from_string(
    '{% load i18n %}[{{ d|date:_("Y年n月j日 H:i") }}][{{ d|date:"l, j F Y H:i:s T O U" }}][{{ d|date }}]')
DAY_PAGE = engines["django"].from_string('{% load i18n %}[{{ d|date:_("Y年n月j日") }}][{{ d|date:"l, j F Y" }}]')


def _expected(value, zone) -> str:
    local = timezone.localtime(value, zone) if isinstance(value, datetime) and timezone.is_aware(value) else value
    return (f"[{django_date(local, translation.gettext('Y年n月j日 H:i'))}]"
            f"[{django_date(local, 'l, j F Y H:i:s T O U')}][{django_date(local)}]")


MOMENTS = [
    datetime(2026, 9, 30, 23, 59, 59, tzinfo=SHANGHAI),  # the last accepted second
    datetime(2026, 9, 30, 15, 59, 59, tzinfo=UTC),  # the same instant from another zone
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # Berlin's repeated 02:30, first time (CEST)
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # and second time (CET): equal wall clock, other offset
    datetime(2026, 4, 20, 10, 0),  # naive
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("zone", [SHANGHAI, BERLIN, UTC])
def test_a_kept_rendering_is_what_djangos_filter_shows(language, zone):
    with translation.override(language), timezone.override(zone):
        for _round in range(2):  # the second round is served from what the first kept
            for moment in MOMENTS:
                assert PAGE.render({"d": moment}) == _expected(moment, zone), (moment, zone, language)
            day = date(2026, 5, 1)
            assert DAY_PAGE.render({"d": day}) == (
                f"[{django_date(day, translation.gettext('Y年n月j日'))}][{django_date(day, 'l, j F Y')}]")


def test_one_instant_in_two_zones_and_a_repeated_hour_are_told_apart():
    first, second = datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    with translation.override("en"), timezone.override(BERLIN):
        shown = [PAGE.render({"d": first}), PAGE.render({"d": second})]
    # the same wall clock twice (Django names no zone for an ambiguous hour): the instants differ
    assert "02:30:00" in shown[0] and "02:30:00" in shown[1]
    assert str(int(first.timestamp())) in shown[0] and str(int(second.timestamp())) in shown[1]
    moment = datetime(2026, 9, 30, 15, 59, 59, tzinfo=UTC)
    with translation.override("zh-hans"):
        with timezone.override(SHANGHAI):
            assert "[2026年9月30日 23:59]" in PAGE.render({"d": moment})
        with timezone.override(UTC):
            assert "[2026年9月30日 15:59]" in PAGE.render({"d": moment})


def test_not_a_moment_goes_to_djangos_filter_and_a_changed_setting_is_seen():
    with translation.override("en"):
        assert PAGE.render({"d": ""}) == "[][][]"
        assert PAGE.render({"d": None}) == "[][][]"
        day = date(2026, 5, 1) + timedelta(days=0)
        before = engines["django"].from_string("{{ d|date }}").render({"d": day})
        with override_settings(DATE_FORMAT="Y/m/d"):
            # the format of `date` without an argument comes from the settings in English
            assert engines["django"].from_string("{{ d|date }}").render({"d": day}) == django_date(day)
        assert engines["django"].from_string("{{ d|date }}").render({"d": day}) == before


LINKS = engines["django"].from_string(
    "[{% url 'applications:tasks' pk %}][{% url 'applications:section' pk key %}]"
    "[{% url 'exports:summary' city 'xlsx' %}][{% url 'no-such-view' as missing %}{{ missing }}]")


def _links(pk, key, city) -> str:
    return (f"[{reverse('applications:tasks', args=[pk])}][{reverse('applications:section', args=[pk, key])}]"
            f"[{reverse('exports:summary', args=[city, 'xlsx'])}][]")


def test_a_kept_link_is_the_one_django_reverses_under_every_prefix():
    for _round in range(2):
        for pk, key, city in [(7, "project", "340100"), (8, "project", "340200"), (7, "contact", "340100")]:
            assert LINKS.render({"pk": pk, "key": key, "city": city}) == _links(pk, key, city)
    # a site served under a path prefix (SCRIPT_NAME): the same link with that prefix, and back
    set_script_prefix("/duixian/")
    try:
        shown = LINKS.render({"pk": 7, "key": "project", "city": "340100"})
        assert shown.startswith("[/duixian/applications/7/") and shown == _links(7, "project", "340100")
    finally:
        set_script_prefix("/")
    assert LINKS.render({"pk": 7, "key": "project", "city": "340100"}).startswith("[/applications/7/")


def test_an_unknown_link_still_fails_and_odd_arguments_are_not_kept():
    with pytest.raises(NoReverseMatch):
        engines["django"].from_string("{% url 'no-such-view' %}").render({})
    page = engines["django"].from_string("{% url 'exports:summary' '340100' fmt %}")
    assert page.render({"fmt": 1}).endswith("/summary.1")
    # True equals 1 as a key, but not as a link
    assert page.render({"fmt": True}) == reverse("exports:summary", args=["340100", True])
    assert page.render({"fmt": True}).endswith("/summary.True")
    # hostile text in an argument comes out as Django's tag writes it: quoted, never markup
    for _round in range(2):
        shown = page.render({"fmt": "<b>&x=1"})
        assert shown == conditional_escape(reverse("exports:summary", args=["340100", "<b>&x=1"]))
        assert "<" not in shown
