"""Evaluate an application's facts against a clause of a pack: the policy calculator.

`evaluate(pack, clause, facts)` returns a Verdict with, for every applicable rule, pass / fail /
unknown, its citation and a Chinese explanation; the CLI, the API, the self-check page and the
application snapshots all call this one function. The per-clause plan (compiled closures,
override links) is built once at pack load by `prepare`, so an evaluation is a few dict reads
per rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Mapping

from .facts import FactsError, PolicyInputError, parse_facts, to_json
from .verdict import Outcome, RuleOutcome, Status, Verdict

__all__ = [
    "evaluate",
    "Verdict",
    "ClauseError",
    "ClauseNotOpen",
    "FactsError",
    "PolicyInputError",
    "prepare",
    "questions",
]

_P, _F, _U = 0, 1, 2
_OUTCOME = (Outcome.PASS, Outcome.FAIL, Outcome.UNKNOWN)
_CENT = Decimal("0.01")
_MISSING = object()


class ClauseError(PolicyInputError):
    """The clause asked for is not one of this batch's clauses."""

    def __init__(self, message: str):
        super().__init__("clause", message)


class ClauseNotOpen(ClauseError):
    """The clause takes no application in this batch (started separately, or 免申即享)."""


def _missing_words(vocab, name: str, facts: Mapping[str, Any]) -> str:
    """What to ask for, in the labels users see (the fact names are in the result's `missing`).

    A derived fact its given sources cannot decide (a USCC registered centrally) says what the
    pack's `undecided` says."""
    spec = vocab.derived.get(name)
    if spec is None:
        return vocab.label(name)
    if spec.undecided and any(facts.get(s) for s in spec.derived_from):
        return spec.undecided
    return "或".join(vocab.label(s) for s in spec.derived_from)


def _source_names(vocab, names) -> list[str]:
    """Facts as given: a derived fact stands for the facts it comes from."""
    out: list[str] = []
    for k in sorted(names):
        for s in vocab.sources(k):
            if s not in out:
                out.append(s)
    return out


@dataclass
class _Step:
    """One rule, ready to run: closures for its condition and its test."""

    rule: Any
    ev: Callable[[dict], int] | None
    when: Callable[[dict], bool | None] | None
    overrides: tuple[int, ...] = ()
    shown_inputs: tuple[str, ...] = ()
    tz: Any = None
    vocab: Any = None  # facts.Vocabulary of the pack: labels and derivations

    def result(self, outcome: int, facts: Mapping[str, Any], late: Mapping[str, Any] | None = None) -> RuleOutcome:
        r = self.rule
        vocab, _label = self.vocab, self.vocab.label
        inputs = {k: to_json(facts[k]) for k in self.shown_inputs if k in facts}
        missing = tuple(k for k in sorted(r.inputs) if k not in facts)
        nulls = [k for k in sorted(r.inputs) if k in facts and facts[k] is None]
        if outcome == _P:
            msg = f"满足：{r.message}"
        elif outcome == _F:
            null_inputs = set(nulls) & set(r.expr.inputs) if (nulls and r.expr) else set()
            late_here = [k for k in _source_names(vocab, null_inputs) if late and k in late]
            if late_here:
                day = facts["submitted_at"].astimezone(self.tz).date().isoformat()
                words = "、".join(f"{_label(k)}（{late[k].isoformat()}）" for k in late_here)
                msg = f"不满足：{r.message.rstrip('。')}（{words}晚于首次提交日{day}，提交时尚未发生，视为未完成）。"
            elif null_inputs and not r.fail_status:
                given = _source_names(vocab, null_inputs)
                words = "、".join(_label(k) for k in ([k for k in given if facts.get(k, 0) is None] or given))
                msg = f"不满足：{r.message.rstrip('。')}（{words}为空，视为未完成）。"
            else:
                msg = r.fail_message or f"不满足：{r.message}"
        elif r.flag:
            msg = f"须人工核实：{r.fail_message or r.message}"
        elif r.when is not None and any(k in facts and facts[k] is None for k in r.when.inputs):
            # a choice (e.g. 园区申报类型) given as null: which case applies cannot be told
            words = "、".join(_label(k) for k in sorted(r.when.inputs) if k in facts and facts[k] is None)
            msg = f"待补充信息（{words}未选定，无法确定是否适用）：{r.message}"
        elif r.expr is None:
            msg = f"须人工确认：{r.message}"
        elif r.kind == "review" and all(k in facts for k in (r.when.inputs if r.when else ())) and missing:
            msg = f"待评审：{r.message}"
        else:
            words = "；".join(dict.fromkeys(_missing_words(vocab, k, facts) for k in missing)) or "相关信息"
            msg = f"待补充信息（{words}）：{r.message}"
        overrides = r.overrides if (r.overrides and outcome is not None) else ()
        return RuleOutcome(r.id, _OUTCOME[outcome], r.kind, r.citation, msg, inputs, missing, overrides)


def _make_ev(expr) -> Callable[[dict], int]:
    fn = expr.fn
    if expr.simple is not None and len(expr.inputs) == 1:
        key, op, const, fact_first = expr.simple

        def ev_simple(f):
            v = f.get(key, _MISSING)
            if v is None:
                return _F  # a fact given as null: "not done / none"
            if v is _MISSING:
                return _U
            try:
                return _P if (op(v, const) if fact_first else op(const, v)) else _F
            except (TypeError, ArithmeticError):
                return _F

        return ev_simple

    inputs = tuple(sorted(expr.inputs))

    def ev(f):
        unknown = False
        for k in inputs:
            if k in f:
                if f[k] is None:
                    return _F  # a fact given as null: "not done / none"
            else:
                unknown = True
        if unknown:
            return _U
        try:
            return _P if fn(f) else _F
        except (TypeError, ArithmeticError):
            return _F

    return ev


def _flag_ev(ev: Callable[[dict], int]) -> Callable[[dict], int]:
    """A consistency check: a contradiction is for a person to look at, not a failure."""

    def flag(f):
        code = ev(f)
        return _U if code == _F else code

    return flag


def _always_unknown(f) -> int:
    """A review rule without an expression: a person must decide."""
    return _U


def _make_when(expr, unset_choices: tuple[str, ...] = ()) -> Callable[[dict], bool | None]:
    """`when` → True (applies), False (does not) or None (cannot tell yet).

    `unset_choices` are enumerated facts it reads (e.g. `park.application_type`): given as null,
    the choice was not made, so which case applies cannot be told either.
    """
    fn = expr.fn

    def when(f):
        for k in unset_choices:
            if k in f and f[k] is None:
                return None
        # Short-circuit order matters: the discriminating fact goes first in the pack.
        try:
            return bool(fn(f))
        except KeyError:
            return None  # a fact it needs is absent: cannot tell
        except TypeError:
            return False  # compared with null: the case does not apply

    return when


def _make_flag_when(rule, base: Callable[[dict], bool | None] | None) -> Callable[[dict], bool | None]:
    """A flag applies only when every fact it reads is given (not absent, not null)."""
    needed = tuple(sorted(rule.inputs))

    def when(f):
        for k in needed:
            if f.get(k) is None:
                return False
        return True if base is None else base(f)

    return when


@dataclass
class _Plan:
    clause: int
    batch_id: str
    version: str
    steps: list[_Step]
    amount: Any
    vocab: Any = None  # facts.Vocabulary of the pack
    # hot-path views of `steps`
    conditional: tuple = ()  # (index, when, overridden indices) for rules with a `when`
    order: tuple = ()  # (index, ev or None, has_when, overridable)
    amount_inputs: tuple = ()
    all_indices: tuple = ()
    evs: tuple = ()
    tz: Any = None
    fail_status: dict = field(default_factory=dict)  # step index → status its failure gives

    def __post_init__(self):
        self.fail_status = {i: s.rule.fail_status for i, s in enumerate(self.steps) if s.rule.fail_status}
        self.all_indices = tuple(range(len(self.steps)))
        self.evs = tuple(s.ev or _always_unknown for s in self.steps)
        self.conditional = tuple((i, s.when, frozenset(s.overrides)) for i, s in enumerate(self.steps) if s.when)
        overridable = {j for s in self.steps for j in s.overrides}
        self.order = tuple((i, s.ev, s.when is not None, i in overridable) for i, s in enumerate(self.steps))
        if self.amount is not None and self.amount.expr is not None:
            self.amount_inputs = tuple(sorted(self.amount.expr.inputs))


def prepare(pack) -> None:
    """Build the per-clause plans once, at load."""
    plans: dict = {}
    vocab = pack.facts
    for clause in pack.clauses:
        if not clause.takes_applications:
            continue
        rules = pack.rules_for(clause.number)
        index = {r.id: i for i, r in enumerate(rules)}
        steps = []
        for r in rules:
            shown = set(r.inputs)
            for k in list(shown):
                shown |= set(vocab.sources(k))
            ev = _make_ev(r.expr) if r.expr else None
            when = None
            if r.when:
                unset = tuple(sorted(k for k in r.when.inputs if k in vocab.given and vocab.given[k].type == "enum"))
                when = _make_when(r.when, unset)
            if getattr(r, "flag", False) and r.expr is not None:
                ev = _flag_ev(ev)
                when = _make_flag_when(r, when)
            steps.append(
                _Step(
                    rule=r,
                    ev=ev,
                    when=when,
                    overrides=tuple(index[t] for t in r.overrides if t in index),
                    shown_inputs=tuple(sorted(shown)),
                    tz=pack.tz,
                    vocab=vocab,
                )
            )
        plan = _Plan(
            clause.number, pack.batch_id, pack.version, steps, pack.amounts.get(clause.number), vocab,
            tz=pack.tz,
        )
        plans[clause.number] = plan
        plans[str(clause.number)] = plan
    pack.compiled = plans


def _plan_for(pack, clause) -> _Plan:
    plan = pack.compiled.get(clause)
    if plan is not None:
        return plan
    try:
        n = int(str(clause).strip())
    except (TypeError, ValueError):
        raise ClauseError(f"条款编号无效：{clause!r}（应为 1-{len(pack.clauses)} 的整数）") from None
    plan = pack.compiled.get(n)
    if plan is not None:
        return plan
    try:
        c = pack.clause(n)
    except KeyError:
        raise ClauseError(f"本批次没有第{n}条（应为 {'、'.join(str(x.number) for x in pack.clauses)}）") from None
    if c.kind == "automatic":
        raise ClauseNotOpen(f"第{n}条（{c.short_title}）“免申即享”，无需申报，也不做政策自测。{c.note or ''}".strip())
    raise ClauseNotOpen(f"第{n}条（{c.short_title}）{c.text.rstrip('。')}，不在本批次受理申报，也不做政策自测。")


def evaluate(pack, clause: int | str, facts: Mapping[str, Any]) -> Verdict:
    """Judge `facts` (nested JSON, CONTRACTS §2) against a clause of `pack`.

    Raises ClauseNotOpen for clauses that take no application (1 and 3 in 2026), ClauseError for
    a clause that does not exist, FactsError for an unknown fact name or a wrong type.
    """
    plan = _plan_for(pack, clause)
    late: dict = {}
    f = parse_facts(facts, plan.vocab, plan.tz, late)

    if plan.conditional:
        # Which exceptions apply decides which base rules are replaced.
        applies: dict[int, bool | None] = {}
        skipped: set[int] = set()
        for i, when, overrides in plan.conditional:
            a = when(f)
            applies[i] = a
            if a and overrides:
                skipped |= overrides
        idx = []
        codes = []
        for i, ev, has_when, overridable in plan.order:
            if overridable and i in skipped:
                continue
            if has_when:
                a = applies[i]
                if a is False:
                    continue
                codes.append(_U if (a is None or ev is None) else ev(f))
            else:
                codes.append(_U if ev is None else ev(f))
            idx.append(i)
    else:
        idx = plan.all_indices
        codes = [ev(f) for ev in plan.evs]
    if _F in codes:
        status = Status.INELIGIBLE
        if plan.fail_status:
            # 五（一）4: when every failure is of a rule that gives its own status (須参加绩效评价，
            # 不享受兑现), the verdict is that status, and nothing can be redeemed.
            special = {plan.fail_status.get(i) for i, c in zip(idx, codes) if c == _F}
            if len(special) == 1 and None not in special:
                status = Status(special.pop())
    else:
        status = Status.NEEDS_REVIEW if _U in codes else Status.ELIGIBLE

    amount = None
    am = plan.amount
    if status is Status.EVALUATION_ONLY:
        amount = Decimal("0.00")
    elif am is not None and am.confirmed and am.expr is not None:
        try:
            for k in plan.amount_inputs:
                if f.get(k) is None:
                    break
            else:
                v = am.expr.fn(f)
                if v is not None:
                    amount = Decimal(v).quantize(_CENT, rounding=ROUND_HALF_UP)
        except (TypeError, ArithmeticError, KeyError):
            amount = None
    steps = plan.steps

    def build_rules():
        return tuple(steps[i].result(o, f, late) for i, o in zip(idx, codes))

    return Verdict(str(plan.clause), status, amount, plan.batch_id, plan.version, facts=f, build_rules=build_rules)


def questions(pack, clause: int | str, facts: Mapping[str, Any] | None = None) -> list[str]:
    """The facts that can still change the verdict of this clause, in rule order.

    A fact matters when an applicable (or not yet decidable) rule reads it; facts behind a
    `when` that is already false for these answers are left out, so the self-check page asks
    only what counts.
    """
    plan = _plan_for(pack, clause)
    f = parse_facts(facts or {}, plan.vocab, plan.tz)
    out: list[str] = []
    seen: set[str] = set()

    def add(names):
        for k in sorted(names):
            for s in plan.vocab.sources(k):
                if s not in seen:
                    seen.add(s)
                    out.append(s)

    skipped: set[int] = set()
    for st in plan.steps:
        if st.when is not None and st.when(f) and st.overrides:
            skipped.update(st.overrides)
    for i, st in enumerate(plan.steps):
        if i in skipped:
            continue
        if st.when is not None:
            if st.when(f) is False:
                continue  # this case does not apply to these answers: nothing behind it matters
            if st.rule.when is not None:
                add(st.rule.when.inputs)
        if st.rule.expr is not None:
            add(st.rule.expr.inputs)
    if plan.amount is not None and plan.amount.expr is not None:
        add(plan.amount.expr.inputs)
    return out
