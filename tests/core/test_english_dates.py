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
