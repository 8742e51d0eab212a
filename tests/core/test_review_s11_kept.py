"""Review of session 11 (issue 22): the kept `date` filter shows what Django's own shows, also for
two fixed-offset zones of one offset but different names (datetime.timezone compares and hashes
by offset only, so the zone in the memo's key does not tell them apart; its name must)."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Engine, engines


def _both(source: str, **values) -> tuple[str, str]:
    kept = engines["django"].engine.from_string(source).render(Context(values))
    django = Engine(libraries={"tz": "django.templatetags.tz"}).from_string(source).render(Context(values))
    return kept, django


def test_two_zones_of_one_offset_keep_their_own_names():
    cst = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8), "CST"))
    awst = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8), "AWST"))
    source = '{% load tz %}{% localtime off %}{{ a|date:"T e" }}|{{ b|date:"T e" }}{% endlocaltime %}'
    kept, django = _both(source, a=cst, b=awst)
    assert django == "CST CST|AWST AWST"
    assert kept == django
