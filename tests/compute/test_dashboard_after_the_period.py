"""The organisation's dashboard line for its compute-subsidy result says what it may still do: after
the confirmation and objection period (its last day 24:00, Beijing time) nothing is asked of it, and
on English pages the quantity's unit is the pack's unit in English (card-hours), not 卡时."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from duixian.core.clock import SHANGHAI

from .test_viewer_reads_only import published  # noqa: F401  (fixture: the 2026 run, published 5月10日)

pytestmark = pytest.mark.django_db


def _dashboard(client, login, user, at: datetime, language: str = "zh-hans") -> str:
    with time_machine.travel(at, tick=False):
        signed_in = login(client, user)
        signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return signed_in.get(reverse("core:dashboard")).content.decode()


def test_the_last_second_still_asks_and_the_next_does_not(client, login, users, published):  # noqa: F811
    before = _dashboard(client, login, users["hefei_applicant"], datetime(2026, 5, 20, 23, 59, 59, tzinfo=SHANGHAI))
    assert "请确认或提出异议" in before
    after = _dashboard(client.__class__(), login, users["hefei_applicant"],
                       datetime(2026, 5, 21, 0, 0, 0, tzinfo=SHANGHAI))
    assert reverse("compute:mine") in after  # still linked: the result stays readable
    assert "请确认或提出异议" not in after and "确认与异议期已结束" in after


def test_english_dashboard_names_the_unit_in_english(client, login, users, published):  # noqa: F811
    body = _dashboard(client, login, users["hefei_applicant"], datetime(2026, 5, 11, 9, 0, tzinfo=SHANGHAI), "en")
    line = next(line for line in body.splitlines() if reverse("compute:mine") in line)
    assert "card-hours" in line and "卡时" not in line
