"""Run a pack's own test cases (OpenFisca style: facts → expected verdict).

Each case names a fixture (`base`), deep-merges `set` into it, deletes `remove`d facts, and
states the expected status, maximum amount and the EXACT sets of failing and unknown rules;
`says` maps a rule to words its message must contain.
Used by `duixian pack test` and by pytest (tests/policy/test_pack_cases.py).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .engine import ClauseError, evaluate
from .facts import FactsError

__all__ = ["CaseResult", "build_facts", "run_case", "run_cases", "rule_coverage"]


@dataclass
class CaseResult:
    index: int
    name: str
    ok: bool
    problems: list[str] = field(default_factory=list)
    outcomes: dict[str, str] = field(default_factory=dict)


def _merge(into: dict, patch: dict) -> None:
    for k, v in patch.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        else:
            into[k] = copy.deepcopy(v)


def build_facts(pack, case: dict) -> dict:
    """The facts a case describes: fixture + `set` − `remove` (or literal `facts`)."""
    if "facts" in case:
        facts = copy.deepcopy(case["facts"] or {})
    else:
        facts = copy.deepcopy(pack.fixtures.get(case.get("base"), {}) or {})
    _merge(facts, case.get("set") or {})
    for path in case.get("remove") or []:
        node = facts
        parts = str(path).split(".")
        for p in parts[:-1]:
            node = node.get(p, {}) if isinstance(node, dict) else {}
        if isinstance(node, dict):
            node.pop(parts[-1], None)
    return facts


def run_case(pack, case: dict, index: int = 0) -> CaseResult:
    name = str(case.get("name", f"#{index}"))
    exp = case.get("expect") or {}
    res = CaseResult(index, name, True)
    facts = build_facts(pack, case)
    try:
        verdict = evaluate(pack, case.get("clause"), facts)
    except (FactsError, ClauseError) as e:
        got = type(e).__name__
        want = exp.get("error")
        if not want:
            res.problems.append(f"意外的错误 {got}（{e.field}）：{e.message}")
        else:
            if want not in {type(e).__name__, *(c.__name__ for c in type(e).__mro__)}:
                res.problems.append(f"错误类型应为 {want}，实际为 {got}")
            if "field" in exp and exp["field"] != e.field:
                res.problems.append(f"错误字段应为 {exp['field']}，实际为 {e.field}")
        res.ok = not res.problems
        return res
    if exp.get("error"):
        res.problems.append(f"应报错 {exp['error']}，实际得出 {verdict.status}")
    outcomes = verdict.outcomes()
    res.outcomes = outcomes
    if "status" in exp and exp["status"] != verdict.status:
        res.problems.append(f"结论应为 {exp['status']}，实际为 {verdict.status}")
    if "max_amount_wan" in exp:
        want = exp["max_amount_wan"]
        got = verdict.max_amount_wan
        if (want is None) != (got is None) or (want is not None and Decimal(str(want)) != got):
            res.problems.append(f"最高金额应为 {want}，实际为 {got}")
    for key, outcome in (("fail", "fail"), ("unknown", "unknown")):
        want = set(exp.get(key) or [])
        got = {rid for rid, o in outcomes.items() if o == outcome}
        if want != got:
            extra, lack = sorted(got - want), sorted(want - got)
            res.problems.append(f"{outcome} 规则不符：多出 {extra}，缺少 {lack}")
    for rid in exp.get("absent") or []:
        if rid in outcomes:
            res.problems.append(f"规则 {rid} 应被替代或不适用，实际为 {outcomes[rid]}")
    for rid, words in (exp.get("says") or {}).items():
        r = verdict.rule(rid)
        if r is None or str(words) not in r.message:
            res.problems.append(f"规则 {rid} 的说明应含“{words}”，实际为 {r.message if r else '（无此规则）'}")
    if exp.get("citations"):
        cited = {r.citation.text for r in verdict.rules if r.outcome != "pass"}
        for c in exp["citations"]:
            if c not in cited:
                res.problems.append(f"未通过的规则中缺少出处 {c}（实际 {sorted(cited)}）")
    res.ok = not res.problems
    return res


def run_cases(pack) -> list[CaseResult]:
    return [run_case(pack, c, i) for i, c in enumerate(pack.tests)]


def rule_coverage(pack, results: list[CaseResult]) -> dict[str, set[str]]:
    """rule id → the outcomes the test cases produced for it (a rule never failing is untested)."""
    cov: dict[str, set[str]] = {r.id: set() for r in pack.rules}
    for res in results:
        for rid, o in res.outcomes.items():
            cov.setdefault(rid, set()).add(o)
    return cov
