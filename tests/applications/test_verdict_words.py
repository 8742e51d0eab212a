"""The live verdict speaks to people: a value the calculator refuses is named by its label, never
by the internal fact key (issue 17 item 6, reviewed)."""

import re

import pytest

from duixian.applications import policy_bridge
from duixian.applications.selectors import application_facts
from duixian.applications.services import application_create, application_save_answers

from .conftest import at, signin

pytestmark = pytest.mark.django_db
KEY = re.compile(r"\b(?:org|park|operator|award|conversion|scene|project)\.[a-z_0-9]+")


def test_a_far_award_date_is_refused_in_words_without_the_fact_key(client, users, time_machine):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    user = users["hefei_applicant"]
    app = application_create(user=user, clause="4", application_type="", project_name="工业质检视觉大模型")
    app = application_save_answers(app, {"award.date": "2999-01-01", "award.competition_year": 2025}, user=user)
    verdict = policy_bridge.evaluate_facts("4", application_facts(app))
    assert verdict.status == "error"
    assert "获奖日期" in verdict.error and not KEY.search(verdict.error), verdict.error
    signin(client, user)
    page = client.get(f"/applications/{app.pk}/section/award/").content.decode()
    panel = re.search(r'<aside id="verdict-panel".*?</aside>', page, re.S).group(0)
    assert "获奖日期" in panel and not KEY.search(re.sub(r"<[^>]+>", " ", panel))
