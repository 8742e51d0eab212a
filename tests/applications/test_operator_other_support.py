"""五（三）"…顶尖孵化器等": an operator can say it has other similar support; the verdict sends it to
the province instead of refusing or ignoring it (issue 17 item 5)."""

import pytest

from duixian.applications import policy_bridge
from duixian.applications.questions import section_by_key
from duixian.applications.selectors import application_facts
from duixian.applications.services import application_create, application_save_answers

from .conftest import at

pytestmark = pytest.mark.django_db

PARK = {
    "project.in_anhui": True, "project.occurred_on": "2026-03-01", "org.independent_legal_person": True,
    "org.owns_ip": True, "org.credit_good": True, "org.major_violation": False,
}


def test_other_similar_support_is_a_choice_and_goes_to_review(users, time_machine):
    park = section_by_key("5", "creation", "park")
    assert "other_similar_support" in dict(park.questions[0].choices)
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    user = users["hefei_applicant"]
    app = application_create(user=user, clause="5", application_type="creation", project_name="滨湖园区")
    app = application_save_answers(app, {**PARK, "operator.prior_support": ["other_similar_support"]}, user=user)
    verdict = policy_bridge.evaluate_facts("5", application_facts(app))
    rule = verdict.rule("c5.other_similar_support")
    assert rule.outcome == "unknown" and "须人工核实" in rule.message
    assert verdict.status == "needs_review"
    assert verdict.rule("c5.no_duplicate_support").outcome == "pass"
