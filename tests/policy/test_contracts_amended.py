"""CONTRACTS §2 as amended (issue 17): null for a step vs a disqualifier, dates later than the
submission, the clause-四 year counted from the award day, contradictions flagged for a clerk,
the evaluation-only outcome of 五（一）4, and messages in labels only."""

import copy
import json

import pytest

from duixian.policy.engine import evaluate
from duixian.policy.pack import default_pack

from .test_engine import EXAMPLE

PACK = default_pack()


def _case(name):
    """The facts of the pack's fixture `name` (deep copy)."""
    return copy.deepcopy(PACK.fixtures[name])


def _set(facts, dotted, value):
    ns, key = dotted.split(".")
    facts.setdefault(ns, {})[key] = value
    return facts


def _drop(facts, dotted):
    ns, key = dotted.split(".")
    facts[ns].pop(key, None)
    return facts


C4_2024 = {"award": {"competition_year": 2024, "date": "2024-12-01"},
           "conversion": {"converted_on": "2025-09-01", "investment_agreement_signed_on": "2025-08-20",
                          "registration_moved_on": "2025-09-01", "tax_moved_on": "2025-09-01",
                          "statistics_moved_on": "2025-09-01"},
           "project": {"occurred_on": "2025-09-01"}}


def _c4_2024():
    f = _case("c4_ok")
    for ns, values in C4_2024.items():
        f[ns].update(values)
    return f


@pytest.mark.parametrize("clause, base, fact, rules", [
    (2, "c2_ok", "org.major_violation", ["c2.no_major_violation"]),
    (2, "c2_ok", "scene.prior_support", ["c2.no_similar_support", "c2.no_clause1_double"]),
    (5, "c5_creation_ok", "operator.prior_support", ["c5.no_duplicate_support"]),
    (5, "c5_creation_ok", "org.major_violation", ["c5.no_major_violation"]),
    (4, None, "award.redeemed_in_2025", ["c4.award_2024_not_redeemed"]),
])
def test_a_disqualifier_given_as_null_means_none_and_absent_stays_unknown(clause, base, fact, rules):
    facts = _case(base) if base else _c4_2024()
    v = evaluate(PACK, clause, _set(copy.deepcopy(facts), fact, None))
    assert v.status == "eligible"
    assert [v.rule(r).outcome for r in rules] == ["pass"] * len(rules)
    v = evaluate(PACK, clause, _drop(copy.deepcopy(facts), fact))
    assert v.status == "needs_review"
    assert [v.rule(r).outcome for r in rules] == ["unknown"] * len(rules)


def test_a_step_given_as_null_still_fails():
    facts = _set(_case("c4_ok"), "conversion.tax_moved_on", None)
    r = evaluate(PACK, 4, facts).rule("c4.tax_moved")
    assert r.outcome == "fail" and "税务登记迁入日期为空，视为未完成" in r.message


def test_null_application_type_is_ineligible_and_type_rules_including_expert_reviews_are_pending():
    v = evaluate(PACK, 5, _set(_case("c5_creation_ok"), "park.application_type", None))
    assert v.status == "ineligible" and v.max_amount_wan is None
    assert v.rule("c5.application_type").outcome == "fail"
    assert v.rule("c5.application_type").citation.as_dict() == {"section": 5, "subsection": None, "item": None,
                                                                 "text": "五"}
    for rid in ("c5.scene_capacity", "c5.industry_advantage", "c5.scene_capability", "c5.field_foundation",
                "c5.evaluation_approved_2025"):
        assert v.rule(rid).outcome == "unknown", rid
    absent = evaluate(PACK, 5, _drop(_case("c5_creation_ok"), "park.application_type"))
    assert absent.status == "needs_review" and absent.rule("c5.application_type").outcome == "unknown"


@pytest.mark.parametrize("award, converted, outcome", [
    ("2025-09-20", "2020-01-01", "fail"),
    ("2025-09-20", "2025-09-19", "fail"),
    ("2025-09-20", "2025-09-20", "pass"),
    ("2025-03-10", "2026-03-10", "pass"),
    ("2025-03-10", "2026-03-11", "fail"),
    ("2024-02-29", "2025-02-28", "pass"),
    ("2024-02-29", "2025-03-01", "fail"),
])
def test_conversion_within_one_year_from_the_award_day(award, converted, outcome):
    facts = _case("c4_ok")
    facts["award"].update(date=award, competition_year=int(award[:4]))
    facts["conversion"]["converted_on"] = converted
    facts["submitted_at"] = "2026-04-30T10:00:00+08:00"
    assert evaluate(PACK, 4, facts).rule("c4.converted_within_year").outcome == outcome


@pytest.mark.parametrize("submitted_at, day, outcome", [
    ("2026-04-15T23:59:59+08:00", "2026-04-15", "pass"),
    ("2026-04-15T23:59:59+08:00", "2026-04-16", "fail"),
    ("2026-04-15T16:00:00+00:00", "2026-04-16", "pass"),  # already 4-16 in Beijing
])
@pytest.mark.parametrize("fact, rule", [
    ("conversion.converted_on", "c4.converted_within_year"),
    ("conversion.registration_moved_on", "c4.registration_moved"),
    ("conversion.tax_moved_on", "c4.tax_moved"),
    ("conversion.statistics_moved_on", "c4.statistics_moved"),
    ("conversion.investment_agreement_signed_on", "c4.agreement_signed"),
])
def test_a_date_after_the_submission_day_had_not_happened(submitted_at, day, outcome, fact, rule):
    facts = _set(_case("c4_ok"), fact, day)
    facts["submitted_at"] = submitted_at
    r = evaluate(PACK, 4, facts).rule(rule)
    assert r.outcome == outcome
    if outcome == "fail":
        assert f"（{day}）晚于首次提交日2026-04-15，提交时尚未发生，视为未完成" in r.message


def test_a_scene_put_into_use_after_submission_is_not_in_use_yet():
    facts = _case("c2_ok")
    facts["submitted_at"] = "2026-04-10T09:00:00+08:00"
    facts["project"]["occurred_on"] = "2026-04-11"
    v = evaluate(PACK, 2, facts)
    assert v.status == "ineligible"
    assert "项目发生日期（2026-04-11）晚于首次提交日2026-04-10" in v.rule("common.project_period").message
    facts["project"]["occurred_on"] = "2026-04-10"
    assert evaluate(PACK, 2, facts).status == "eligible"


def test_without_submitted_at_dates_are_taken_as_given():
    facts = _set(_case("c4_ok"), "conversion.registration_moved_on", "2026-05-01")
    del facts["submitted_at"]
    assert evaluate(PACK, 4, facts).rule("c4.registration_moved").outcome == "pass"


def test_contradictions_are_flagged_for_review_not_failed():
    facts = _case("c4_ok")
    facts["award"]["redeemed_in_2025"] = True
    v = evaluate(PACK, 4, facts)
    r = v.rule("c4.winner_2025_not_redeemed_in_2025")
    assert v.status == "needs_review" and r.outcome == "unknown" and r.kind == "review"
    assert r.message.startswith("须人工核实：")

    facts = _case("c4_ok")
    facts["award"]["competition_year"] = 2024
    facts["award"]["redeemed_in_2025"] = False  # a 2024 winner whose award date says 2025
    v = evaluate(PACK, 4, facts)
    assert v.rule("c4.award_year_matches_date").outcome == "unknown"
    assert v.status == "needs_review"

    ok = evaluate(PACK, 4, _case("c4_ok"))
    assert ok.status == "eligible" and ok.rule("c4.award_year_matches_date").outcome == "pass"
    # nothing to compare: the check is left out, it does not hold the verdict up
    no_date = evaluate(PACK, 4, _drop(_case("c4_ok"), "award.date"))
    assert no_date.rule("c4.award_year_matches_date") is None


def test_contracts_example_still_holds():
    out = evaluate(PACK, 2, EXAMPLE).to_json()
    assert out["status"] == "ineligible" and out["max_amount_wan"] == "24.00"
    fails = [r for r in out["rules"] if r["outcome"] == "fail"]
    assert [(r["citation"]["section"], r["citation"]["subsection"], r["citation"]["item"]) for r in fails] == [(2, 2, 2)]
    assert next(r for r in out["rules"] if r["id"] == "c2.demonstration_effect")["outcome"] == "unknown"


def test_evaluation_only_park_must_be_evaluated_and_gets_nothing():
    facts = _case("c5_evaluation_ok")
    facts["park"].update(approved_year=2024, evaluated_in_2025=False)
    out = evaluate(PACK, 5, facts).to_json()
    assert out["status"] == "evaluation_only" and out["max_amount_wan"] == "0.00"
    r = next(r for r in out["rules"] if r["id"] == "c5.evaluation_2024_skipped")
    assert r["message"].startswith("须参加绩效评价，不享受兑现")
    # any other failure still makes it ineligible
    facts["org"]["independent_legal_person"] = False
    assert evaluate(PACK, 5, facts).status == "ineligible"
    # a 2025-approved park is redeemed as usual
    assert evaluate(PACK, 5, _case("c5_evaluation_ok")).status == "eligible"


def test_other_similar_support_of_the_operator_goes_to_review():
    facts = _set(_case("c5_creation_ok"), "operator.prior_support", ["other_similar_support"])
    v = evaluate(PACK, 5, facts)
    assert v.status == "needs_review"
    r = v.rule("c5.other_similar_support")
    assert r.outcome == "unknown" and "顶尖孵化器等" in r.message
    assert v.rule("c5.no_duplicate_support").outcome == "pass"


def test_double_support_with_clause_1_cites_the_policy_text_not_the_notice():
    facts = copy.deepcopy(EXAMPLE)
    facts["scene"]["prior_support"] = ["clause1_scene_project"]
    r = evaluate(PACK, 2, facts).rule("c2.no_clause1_double")
    assert r.outcome == "fail"
    c = r.citation.as_dict()
    assert c["document"] == "《若干政策（2.0版）》" and c["section"] == 2 and "二、（三）" not in c["text"]


def test_field_foundation_message_quotes_the_whole_sentence():
    r = evaluate(PACK, 5, _case("c5_creation_ok")).rule("c5.field_foundation")
    assert "并在场景创新方面取得一定成效或具有明确规划" in r.message


@pytest.mark.parametrize("clause", [2, 4, 5])
def test_messages_show_labels_never_fact_names(clause):
    out = evaluate(PACK, clause, {"org": {"uscc": "12100000400000624D"}}).to_json()
    text = json.dumps([r["message"] for r in out["rules"]], ensure_ascii=False)
    assert "待补充信息（项目发生日期）" in text
    for name in ("project.occurred_on", "org.registered_in_anhui", "submitted_at", "award.date", "park."):
        assert name not in text
    # the machine-readable names are still there for integrators
    period = next(r for r in out["rules"] if r["id"] == "common.project_period")
    assert period["missing"] == ["project.occurred_on"]


@pytest.mark.parametrize("clause, facts, field, words", [
    ("5", {"operator": {"prior_support": ["gift"]}}, "operator.prior_support", "other_similar_support"),
    ("4", {"award": {"redeemed_in_2025": "no"}}, "award.redeemed_in_2025", "布尔值"),
    ("5", {"park": {"application_type": "both"}}, "park.application_type", "creation"),
    ("4", {"award": {"date_year": 2025}}, "award.date_year", "未知的事实字段"),  # derived, not settable
    ("1", {}, "clause", "3 月 15 日"),
    ("3", {}, "clause", "免申即享"),
])
def test_cli_exit_2_names_the_field(clause, facts, field, words):
    from duixian.policy.cli import run_evaluate

    out = run_evaluate(clause, json.dumps(facts))
    assert out.code == 2 and out.stdout == ""
    err = json.loads(out.stderr)
    assert err["field"] == field and words in err["error"]


def test_cli_accepts_null_disqualifiers_and_the_new_choice():
    from duixian.policy.cli import run_evaluate

    facts = _case("c5_creation_ok")
    facts["org"]["major_violation"] = None
    facts["operator"]["prior_support"] = ["other_similar_support"]
    out = run_evaluate("5", json.dumps(facts))
    assert out.code == 0
    assert json.loads(out.stdout)["status"] == "needs_review"


def test_messages_name_what_is_null_or_unchosen():
    v = evaluate(PACK, 5, _set(_case("c5_creation_ok"), "park.application_type", None))
    assert v.rule("c5.scene_capacity").message.startswith("待补充信息（园区申报类型未选定，无法确定是否适用）")
    facts = _set(copy.deepcopy(EXAMPLE), "org.uscc", None)
    r = evaluate(PACK, 2, facts).rule("c2.registered_in_anhui")
    assert r.outcome == "fail" and "（统一社会信用代码为空，视为未完成）" in r.message
