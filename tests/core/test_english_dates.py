"""Dates in English pages read "20 April 2026, 10:00", not "2026年4月20日 10:00": a template
that formats a date with a fixed Chinese format ignores the language switch."""

import re
from pathlib import Path

import pytest
from django.conf import settings

import duixian

pytestmark = pytest.mark.django_db

FIXED_CHINESE_FORMAT = re.compile(r"""\|date:["'][^"']*年""")


def test_no_template_formats_a_date_in_a_fixed_chinese_format():
    root = Path(duixian.__file__).parent / "templates"
    offenders = [f"{path.relative_to(root)}:{n}" for path in sorted(root.rglob("*.html"))
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if FIXED_CHINESE_FORMAT.search(line)]
    assert offenders == []


def test_role_grants_page_in_english_shows_english_dates(client, users, time_machine):
    from duixian.accounts.services import user_create

    time_machine.move_to("2026-04-20T10:00:00+08:00", tick=False)
    user_create(by=users["system_admin"], username="bengbu_clerk", email="bengbu@example.org")
    client.force_login(users["security_admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/accounts/manage/roles/").content.decode()
    assert "bengbu_clerk" in page
    assert "2026年" not in page
    assert "20 April 2026, 10:00" in page


def test_dates_written_by_python_follow_the_language_too(client, users, time_machine):
    """The windows, deadlines and days Python writes into sentences (format_moment, fmt_day):
    "10 April 2026, 08:00" on an English page, "2026年4月10日 08:00" on a Chinese one; a stored
    Chinese text (an audit reason, a notification) keeps its Chinese date whoever caused it."""
    from duixian.applications.policy_bridge import format_moment
    from duixian.core.moments import day_text, moment_text
    from duixian.decisions.services import fmt_day

    time_machine.move_to("2026-04-20T10:00:00+08:00", tick=False)
    client.force_login(users["hefei_applicant"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/applications/").content.decode()
    assert "10 April 2026, 08:00" in page and "5 May 2026, 23:59" in page and "2026年4月10日" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "2026年4月10日 08:00" in client.get("/applications/").content.decode()

    import datetime as dt

    from django.utils import translation

    moment = dt.datetime(2026, 5, 7, 9, 0, tzinfo=dt.timezone.utc)  # 17:00 in Beijing
    with translation.override("en"):
        assert format_moment(moment) == moment_text(moment) == "7 May 2026, 17:00"
        assert moment_text(moment, seconds=True) == "7 May 2026, 17:00:00"
        assert fmt_day(dt.date(2026, 6, 25)) == day_text(dt.date(2026, 6, 25)) == "25 June 2026"
        assert format_moment(moment, language="zh-hans") == "2026年5月7日 17:00"
        assert fmt_day(dt.date(2026, 6, 25), language="zh-hans") == "2026年6月25日"
    with translation.override("zh-hans"):
        assert format_moment(moment) == "2026年5月7日 17:00" and day_text(moment) == "2026年5月7日"
