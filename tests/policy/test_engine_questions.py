"""`engine.questions`: what the 政策自测 page asks for a clause given the answers so far.

Written after mutation testing (docs/testing.md) found its skipping and ordering unguarded: a
question the answers make irrelevant is not asked, every other one is asked once, in rule order,
and the facts only the amount reads (clause 2's 场景开发投入) are asked too.
"""

from __future__ import annotations

from duixian.policy.engine import questions
from duixian.policy.pack import default_pack

PACK = default_pack()


def test_each_fact_is_asked_once_and_the_amounts_input_too():
    for clause in (2, 4, 5):
        asked = questions(PACK, clause)
        assert len(asked) == len(set(asked)), clause
        assert asked[:3] == ["project.occurred_on", "project.in_anhui", "submitted_at"]
    # No rule of clause 2 reads the development investment: only its amount (20%, at most 100万元).
    assert questions(PACK, 2)[-1] == "scene.development_investment_wan"


def test_an_award_of_2025_is_not_asked_whether_it_was_redeemed_in_2025():
    unanswered = questions(PACK, 4)
    of_2024 = questions(PACK, 4, {"award": {"competition_year": 2024}})
    of_2025 = questions(PACK, 4, {"award": {"competition_year": 2025}})
    assert "award.redeemed_in_2025" in unanswered and "award.redeemed_in_2025" in of_2024
    assert "award.redeemed_in_2025" not in of_2025
    # The 2024 case replaces the 2025 rule; everything after it is still asked.
    for asked in (of_2024, of_2025):
        assert asked[-1] == "conversion.follows_award_business_plan"
        assert "award.competition_year" in asked and "conversion.statistics_moved_on" in asked


def test_a_park_is_asked_only_what_its_application_type_needs():
    creation = questions(PACK, 5, {"park": {"application_type": "creation"}})
    evaluation = questions(PACK, 5, {"park": {"application_type": "evaluation", "approved_year": 2024}})
    assert {"park.scene_capacity", "operator.field_foundation"} <= set(creation)
    assert not {"park.approved_year", "park.evaluated_in_2025"} & set(creation)
    assert {"park.approved_year", "park.evaluated_in_2025"} <= set(evaluation)
    assert not {"park.scene_capacity", "operator.field_foundation"} & set(evaluation)
