"""The calculator's behaviour as CONTRACTS §2 promises it."""

import copy
from decimal import Decimal

import pytest

from duixian.policy.engine import ClauseError, ClauseNotOpen, FactsError, evaluate, questions
from duixian.policy.facts import one_year_end
from duixian.policy.pack import default_pack

import datetime as dt

PACK = default_pack()
EXAMPLE = {
    "org": {"uscc": "91340100MA2RXH7Q95", "kind": "enterprise", "independent_legal_person": True,
            "owns_ip": True, "credit_good": True, "major_violation": False},
    "project": {"name": "医院影像辅助诊断大模型应用", "in_anhui": True, "occurred_on": "2025-12-01"},
    "scene": {"owner_is_applicant": True, "in_anhui": True, "status": "in_use",
              "own_supply_capability": True, "purchased_solution": True,
              "development_investment_wan": "120", "prior_support": []},
    "submitted_at": "2026-04-28T09:30:00+08:00",
}


def test_contracts_clause_2_example_exactly():
    out = evaluate(PACK, 2, EXAMPLE).to_json()
    assert out["clause"] == "2" and out["status"] == "ineligible" and out["max_amount_wan"] == "24.00"
    fails = [r for r in out["rules"] if r["outcome"] == "fail"]
    assert [r["citation"] for r in fails] == [{"section": 2, "subsection": 2, "item": 2, "text": "二、（二）2"}]
    demo = next(r for r in out["rules"] if r["id"] == "c2.demonstration_effect")
    assert demo["outcome"] == "unknown" and demo["kind"] == "review"
    for r in out["rules"]:
        assert set(r) >= {"id", "outcome", "kind", "citation", "message"}
        assert r["outcome"] in ("pass", "fail", "unknown") and r["kind"] in ("hard", "review", "evidence")


def test_absent_is_unknown_but_null_fails():
    facts = copy.deepcopy(EXAMPLE)
    del facts["scene"]["purchased_solution"]
    assert evaluate(PACK, 2, facts).rule("c2.purchased_solution").outcome == "unknown"
    facts["scene"]["purchased_solution"] = None
    r = evaluate(PACK, 2, facts).rule("c2.purchased_solution")
    assert r.outcome == "fail" and "为空" in r.message


def test_evidence_rules_are_judged_on_the_facts_given():
    facts = copy.deepcopy(EXAMPLE)
    facts["scene"]["own_supply_capability"] = False
    facts["scene"]["demonstration_effect"] = True
    v = evaluate(PACK, 2, facts)
    assert v.status == "eligible"
    assert v.rule("c2.owns_ip").kind == "evidence" and v.rule("c2.owns_ip").outcome == "pass"


@pytest.mark.parametrize("award, last", [
    ("2025-03-10", "2026-03-10"), ("2024-02-29", "2025-02-28"), ("2025-12-31", "2026-12-31"),
])
def test_one_year_per_civil_code(award, last):
    assert one_year_end(dt.date.fromisoformat(award)) == dt.date.fromisoformat(last)


def test_clause_4_is_not_bound_by_clause_2_org_conditions():
    ids = {r.id for r in PACK.rules_for(4)}
    assert not any(i.endswith(("owns_ip", "credit_good", "independent_legal_person", "registered_in_anhui")) for i in ids)
    v = evaluate(PACK, 4, {"org": {"kind": "team"}})  # a team without a USCC
    assert v.rule("c4.enterprise_or_team").outcome == "pass"
    assert all(r.outcome == "unknown" for r in v.rules if r.id != "c4.enterprise_or_team")


def test_registered_in_anhui_overrides_the_uscc():
    base = copy.deepcopy(EXAMPLE)
    base["org"]["uscc"] = "12100000400000624D"  # registered centrally
    assert evaluate(PACK, 2, base).rule("c2.registered_in_anhui").outcome == "unknown"
    base["org"]["registered_in_anhui"] = True
    assert evaluate(PACK, 2, base).rule("c2.registered_in_anhui").outcome == "pass"
    base["org"]["uscc"] = "91340100MA2RXH7Q95"
    base["org"]["registered_in_anhui"] = False
    assert evaluate(PACK, 2, base).rule("c2.registered_in_anhui").outcome == "fail"


def test_exception_replaces_its_base_rule_explicitly():
    facts = {"award": {"competition_year": 2024, "redeemed_in_2025": True}}
    v = evaluate(PACK, 4, facts)
    assert v.rule("c4.award_2025") is None
    r = v.rule("c4.award_2024_not_redeemed")
    assert r.outcome == "fail" and r.overrides == ("c4.award_2025",)
    assert v.to_json()["rules"][[x.id for x in v.rules].index(r.id)]["overrides"] == ["c4.award_2025"]


@pytest.mark.parametrize("clause, words", [(1, "3 月 15 日"), ("3", "免申即享")])
def test_clauses_without_applications_say_so(clause, words):
    with pytest.raises(ClauseNotOpen) as err:
        evaluate(PACK, clause, {})
    assert err.value.field == "clause" and words in err.value.message


@pytest.mark.parametrize("clause", [0, 6, "x", None])
def test_unknown_clause(clause):
    with pytest.raises(ClauseError):
        evaluate(PACK, clause, {})


@pytest.mark.parametrize("facts, field", [
    ({"colour": "red"}, "colour"),
    ({"scene": {"colour": "red"}}, "scene.colour"),
    ({"scene": "x"}, "scene"),
    ({"scene": {"status": "done"}}, "scene.status"),
    ({"scene": {"prior_support": ["gift"]}}, "scene.prior_support"),
    ({"scene": {"development_investment_wan": "12万"}}, "scene.development_investment_wan"),
    ({"scene": {"development_investment_wan": "-1"}}, "scene.development_investment_wan"),
    ({"award": {"rank": "first"}}, "award.rank"),
    ({"award": {"date": "2025-02-30"}}, "award.date"),
    ({"submitted_at": "2026-04-28 09:30"}, "submitted_at"),
    ({"org": {"uscc": "91340100MA2RXH7Q9"}}, "org.uscc"),
    ({"org": {"in_anhui": True}}, "org.in_anhui"),  # derived, not settable
])
def test_bad_facts_name_the_field(facts, field):
    with pytest.raises(FactsError) as err:
        evaluate(PACK, 2, facts)
    assert err.value.field == field and err.value.message


def test_amounts_in_decimal_with_two_places():
    facts = copy.deepcopy(EXAMPLE)
    facts["scene"]["development_investment_wan"] = Decimal("0.03")
    assert evaluate(PACK, 2, facts).max_amount_wan == Decimal("0.01")
    facts["scene"]["development_investment_wan"] = 123.45
    assert evaluate(PACK, 2, facts).max_amount_wan == Decimal("24.69")


def test_questions_skip_what_cannot_change_the_verdict():
    creation = questions(PACK, 5, {"park": {"application_type": "creation"}})
    evaluation = questions(PACK, 5, {"park": {"application_type": "evaluation"}})
    assert "park.scene_capacity" in creation and "park.scene_capacity" not in evaluation
    assert "park.approved_year" in evaluation
    assert "org.uscc" in questions(PACK, 2) and "award.rank" not in questions(PACK, 2)


def test_verdict_records_pack_version():
    v = evaluate(PACK, 2, EXAMPLE)
    assert v.pack_version == PACK.version and v.to_json()["pack_version"] == PACK.version


def test_engine_imports_no_django():
    import subprocess
    import sys

    code = ("import sys; from duixian.policy.engine import evaluate; from duixian.policy.pack import default_pack; "
            "default_pack(); assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], "
            "[m for m in sys.modules if m.startswith('django')][:5]")
    subprocess.run([sys.executable, "-c", code], check=True)
