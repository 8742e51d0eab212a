"""The typed verdict (issue 18 item 3): its JSON is CONTRACTS §2 to the byte, it reads back what a
submission or a decision stored (today's and older shapes), for every status."""

import copy
import json
from decimal import Decimal

import pytest

from duixian.policy.engine import evaluate
from duixian.policy.pack import default_pack
from duixian.policy.verdict import Outcome, Status, Verdict

from .test_engine import EXAMPLE

PACK = default_pack()


def _evaluation_only():
    facts = copy.deepcopy(PACK.fixtures["c5_evaluation_ok"])
    facts["park"].update(approved_year=2024, evaluated_in_2025=False)
    return evaluate(PACK, 5, facts)


def _needs_review():
    facts = copy.deepcopy(PACK.fixtures["c2_ok"])
    del facts["scene"]["demonstration_effect"]  # a reviewer's judgement, not given yet
    return evaluate(PACK, 2, facts)


VERDICTS = {
    Status.ELIGIBLE: lambda: evaluate(PACK, 4, PACK.fixtures["c4_ok"]),
    Status.INELIGIBLE: lambda: evaluate(PACK, 2, EXAMPLE),
    Status.NEEDS_REVIEW: _needs_review,
    Status.EVALUATION_ONLY: _evaluation_only,
    Status.ERROR: lambda: Verdict.refused("4", "“获奖日期”超出范围", "award.date"),
}


def _bytes(verdict: Verdict) -> bytes:
    return json.dumps(verdict.to_json(), ensure_ascii=False).encode()


def test_every_status_has_a_case():
    assert set(VERDICTS) == set(Status)


@pytest.mark.parametrize("status", list(Status), ids=str)
def test_json_round_trip_is_byte_identical(status):
    verdict = VERDICTS[status]()
    assert verdict.status is status
    stored = json.loads(_bytes(verdict))  # what a JSONField gives back
    again = Verdict.from_json(stored)
    assert _bytes(again) == _bytes(verdict)
    assert again.status is status and again.max_amount_wan == verdict.max_amount_wan
    assert [(r.id, r.outcome, r.citation, r.message) for r in again.rules] == [
        (r.id, r.outcome, r.citation, r.message) for r in verdict.rules]


def test_the_json_is_contracts_2_in_its_order():
    out = evaluate(PACK, 2, EXAMPLE).to_json()
    assert list(out) == ["clause", "status", "max_amount_wan", "rules", "batch_id", "pack_version"]
    assert out["status"] == "ineligible" and out["max_amount_wan"] == "24.00"
    assert list(out["rules"][0])[:6] == ["id", "outcome", "kind", "citation", "message", "inputs"]
    refused = Verdict.refused("4", "信息有误", "award.date").to_json()
    assert refused == {"clause": "4", "status": "error", "error": "信息有误", "field": "award.date", "rules": [],
                       "max_amount_wan": None}


def test_a_verdict_stored_by_an_earlier_version_still_reads():
    """Before batches: no batch_id or pack_version; a rule without inputs; an amount stored as a
    number; a registry annotation on the verdict and on a rule."""
    old = {
        "clause": "2", "status": "ineligible", "max_amount_wan": 24,
        "rules": [{"id": "c2.no_own_supply", "outcome": "fail", "kind": "hard",
                   "citation": {"section": 2, "subsection": 2, "item": 2, "text": "二、（二）2"},
                   "message": "不满足：申报单位不具备自主供给能力。",
                   "registry_sources": [{"fact": "scene.prior_support", "line": 2}]}],
        "registry": {"sources": [{"fact": "scene.prior_support", "line": 2}], "flags": []},
    }
    v = Verdict.from_json(old)
    assert v.status is Status.INELIGIBLE and v.max_amount_wan == Decimal("24")
    assert v.batch_id is None and v.pack_version is None
    (rule,) = v.rules
    assert rule.outcome is Outcome.FAIL and rule.citation.text == "二、（二）2" and rule.inputs == {}
    assert rule.registry_sources[0]["line"] == 2 and v.registry["sources"][0]["line"] == 2
    assert v.to_json()["rules"][0]["registry_sources"] == old["rules"][0]["registry_sources"]


@pytest.mark.parametrize("stored", [None, {}])
def test_no_stored_verdict_is_none(stored):
    assert Verdict.from_json(stored) is None


def test_an_unknown_stored_status_or_outcome_asks_a_person():
    v = Verdict.from_json({"clause": "2", "status": "not_eligible", "max_amount_wan": "",
                           "rules": [{"id": "x", "outcome": "maybe", "citation": "二、（二）2"}]})
    assert v.status is Status.NEEDS_REVIEW and v.max_amount_wan is None
    assert v.rules[0].outcome is Outcome.UNKNOWN and v.rules[0].citation.text == "二、（二）2"


def test_statuses_compare_as_their_json_strings():
    v = evaluate(PACK, 2, EXAMPLE)
    assert v.status == "ineligible" and f"{v.status}" == "ineligible"
    assert {s.value for s in Status} >= {"eligible", "ineligible", "needs_review", "evaluation_only"}
