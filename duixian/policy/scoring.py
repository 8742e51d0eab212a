"""Scoring sheets (评分表): the `scoring_sheets` section of a pack, read and checked.

A clause (or one application type of it) whose review is an expert 评比 has a sheet: the items an
expert scores, each out of its points, and the review facts the expert judges yes or no (the
pack's `kind: review` rules, e.g. 示范效果明显). A clause without a sheet has no expert step: the
province decides on the city's recommendation. The format: docs/policy-pack.md "专家评分表".
Plain Python: part of the pack model, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .facts import Vocabulary
    from .packfile import _Checker

_ITEM_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Criterion:
    """One item of the sheet, scored from 0 to `max_points` (its weight in the total)."""

    id: str
    name: str
    max_points: Decimal
    guide: str
    sentence: str | None = None  # the notice's sentence the guide quotes, when it has one


@dataclass(frozen=True)
class ReviewFact:
    """A yes-or-no judgement the expert gives, settling one review rule of the pack."""

    name: str  # the fact, e.g. scene.demonstration_effect
    question: str  # what the expert answers yes or no to
    rule_id: str  # the pack's review rule it settles


@dataclass(frozen=True)
class Sheet:
    key: str  # the clause (`2`) or the clause and application type (`5.evaluation`)
    clause: str
    title: str
    source: str  # where the sheet comes from (the notice, a 补充通知, or the platform's default)
    confirmed: bool  # the province has confirmed it; pages say 待省科技厅确认 otherwise
    criteria: tuple[Criterion, ...]
    facts: tuple[ReviewFact, ...] = ()

    @property
    def max_total(self) -> Decimal:
        return sum((c.max_points for c in self.criteria), Decimal("0"))


def read_sheets(ck: "_Checker", data: dict, clauses, rules: dict, sentences: set[str],
                vocabulary: "Vocabulary | None") -> dict[str, Sheet]:
    """Every sheet of the `scoring_sheets` section by key, each problem reported with its place."""
    raw = ck.get(data, "scoring_sheets", "", dict, required=False, default={}) or {}
    by_number = {c.number: c for c in clauses}
    out: dict[str, Sheet] = {}
    for key, spec in raw.items():
        key = str(key)
        path = f"scoring_sheets.{key}"
        head, _, app_type = key.partition(".")
        clause = by_number.get(int(head)) if head.isdigit() else None
        if clause is None or not clause.takes_applications:
            ck.add(path, "键应为受理申报的条款编号，或“条款编号.申报类型”（如 5.evaluation）")
            continue
        if app_type and app_type not in clause.application_types:
            ck.add(path, f"第{head}条没有申报类型 {app_type}")
            continue
        if not isinstance(spec, dict):
            ck.add(path, "应为映射")
            continue
        confirmed = ck.get(spec, "confirmed", path, bool, default=False)
        key = f"{clause.number}.{app_type}" if app_type else str(clause.number)  # `02` is clause 2
        if key in out:
            ck.add(path, f"评分表 {key} 重复")
        sheet = Sheet(
            key=key, clause=str(clause.number),
            title=ck.get(spec, "title", path, default=""),
            source=ck.get(spec, "source", path, default=""),
            confirmed=bool(confirmed),
            criteria=_criteria(ck, spec, path, sentences),
            facts=_facts(ck, spec, path, clause.number, rules, vocabulary),
        )
        out[key] = sheet
    return out


def _criteria(ck: "_Checker", spec: dict, path: str, sentences: set[str]) -> tuple[Criterion, ...]:
    items = ck.get(spec, "items", path, list, default=[])
    if isinstance(spec.get("items"), list) and not items:
        ck.add(f"{path}.items", "评分表至少需要一个评分项")
    out: list[Criterion] = []
    seen: set[str] = set()
    for j, it in enumerate(items):
        ipath = f"{path}.items[{j}]"
        if not isinstance(it, dict):
            ck.add(ipath, "应为映射")
            continue
        item_id = ck.get(it, "id", ipath, default="")
        if item_id and not _ITEM_ID.match(item_id):
            ck.add(f"{ipath}.id", f"评分项编号只能由小写字母、数字和下划线组成：{item_id}")
        if item_id in seen:
            ck.add(f"{ipath}.id", f"评分项编号重复：{item_id}")
        seen.add(item_id)
        points = _points(ck, it.get("points"), f"{ipath}.points")
        sentence = it.get("sentence")
        if sentence is not None and str(sentence) not in sentences:
            ck.add(f"{ipath}.sentence", f"没有编号为 {sentence} 的句子")
        out.append(Criterion(item_id, ck.get(it, "name", ipath, default=""), points,
                             ck.get(it, "guide", ipath, default=""), str(sentence) if sentence is not None else None))
    return tuple(out)


def _points(ck: "_Checker", raw: Any, path: str) -> Decimal:
    if raw is None:
        ck.add(path, "缺少必填项（该项的满分）")
        return Decimal("0")
    try:
        points = Decimal(str(raw)) if not isinstance(raw, bool) else None
    except InvalidOperation:
        points = None
    if points is None or not points.is_finite() or points <= 0 or points != points.quantize(Decimal("0.5")):
        ck.add(path, f"满分应为正数（整数或 .5）：{raw!r}")
        return Decimal("0")
    return points


def _facts(ck: "_Checker", spec: dict, path: str, clause: int, rules: dict,
           vocabulary: "Vocabulary | None") -> tuple[ReviewFact, ...]:
    out: list[ReviewFact] = []
    seen: set[str] = set()
    for j, it in enumerate(ck.seq(spec, "judgements", path)):
        jpath = f"{path}.judgements[{j}]"
        if not isinstance(it, dict):
            ck.add(jpath, "应为映射")
            continue
        name = ck.get(it, "fact", jpath, default="")
        rule_id = ck.get(it, "rule", jpath, default="")
        fact = vocabulary.get(name) if (vocabulary is not None and name) else None
        if name and vocabulary is not None and (fact is None or fact.type != "bool"):
            ck.add(f"{jpath}.fact", f"{name} 应为 facts 中的 bool 事实（专家认定“是”或“否”）")
        if name in seen:
            ck.add(f"{jpath}.fact", f"事实 {name} 重复")
        seen.add(name)
        rule = rules.get(rule_id)
        if rule_id and rule is None:
            ck.add(f"{jpath}.rule", f"规则不存在：{rule_id}")
        elif rule is not None and (rule.kind != "review" or clause not in rule.clauses or name not in rule.inputs):
            ck.add(f"{jpath}.rule", f"规则 {rule_id} 应为第{clause}条读取 {name} 的 review 规则")
        out.append(ReviewFact(name, ck.get(it, "question", jpath, default=""), rule_id))
    return tuple(out)
