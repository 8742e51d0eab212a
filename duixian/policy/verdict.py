"""The verdict: what the engine says about one application's facts under one clause, as a type.

`Verdict` (status, amount, rule outcomes with their citations) is what `engine.evaluate` returns
and what every reader uses: the calculator page, the application form, review, decisions,
exports, the sandbox, the API and the CLI. Its JSON (`to_json`) is CONTRACTS §2 exactly; that
JSON is also what a submission snapshot and a decision store, and `from_json` reads it back,
including dicts stored by earlier versions (missing keys take their defaults, unknown keys are
dropped).

Labels and colours for people are not here (the engine imports no Django): they are in
`duixian.policy.display`, once, and the page fragment `policy/_verdict.html` shows a verdict.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Callable, Mapping

from .pack import Citation

__all__ = ["Status", "Outcome", "RuleOutcome", "Verdict"]


class Status(StrEnum):
    """A verdict's conclusion. The values are the JSON strings of CONTRACTS §2."""

    ELIGIBLE = "eligible"  # every applicable rule passes
    INELIGIBLE = "ineligible"  # some rule fails
    NEEDS_REVIEW = "needs_review"  # none fails, some is unknown (unanswered, or a reviewer's)
    # 五（一）4: only rules with this `fail_status` fail — takes part in the evaluation, paid nothing.
    EVALUATION_ONLY = "evaluation_only"
    # Not the engine's: the platform could not ask it (a half-typed answer the engine refuses).
    ERROR = "error"

    @classmethod
    def read(cls, value: Any) -> "Status | None":
        """The status of a stored value, or None for a missing or unknown one."""
        try:
            return cls(value)
        except ValueError:
            return None


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RuleOutcome:
    """One rule's outcome, with the notice's place (`citation`) and the Chinese explanation."""

    id: str
    outcome: Outcome
    kind: str  # hard | review | evidence
    citation: Citation
    message: str
    inputs: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # the facts it read, as JSON
    missing: tuple[str, ...] = ()  # the facts it still needs
    overrides: tuple[str, ...] = ()  # the base rules this exception replaced
    # The registry rows (issue 11) whose values the rule read; added by the platform.
    registry_sources: tuple[Mapping[str, Any], ...] = ()

    def to_json(self) -> dict:
        d = {
            "id": self.id,
            "outcome": self.outcome.value,
            "kind": self.kind,
            "citation": self.citation.as_dict(),
            "message": self.message,
            "inputs": dict(self.inputs),
        }
        if self.missing:
            d["missing"] = list(self.missing)
        if self.overrides:
            d["overrides"] = list(self.overrides)
        if self.registry_sources:
            d["registry_sources"] = [dict(s) for s in self.registry_sources]
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "RuleOutcome":
        return cls(
            id=str(d.get("id") or ""),
            outcome=Outcome(d["outcome"]) if d.get("outcome") in Outcome._value2member_map_ else Outcome.UNKNOWN,
            kind=str(d.get("kind") or ""),
            citation=_citation(d.get("citation")),
            message=str(d.get("message") or ""),
            inputs=dict(d.get("inputs") or {}),
            missing=tuple(d.get("missing") or ()),
            overrides=tuple(d.get("overrides") or ()),
            registry_sources=tuple(d.get("registry_sources") or ()),
        )


def _citation(d: Any) -> Citation:
    if isinstance(d, Mapping):
        return Citation(d.get("section"), d.get("subsection"), d.get("item"), str(d.get("text") or ""),
                        d.get("document"))
    return Citation(None, None, None, str(d or ""))


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Verdict:
    """One evaluation's result. `rules` may be built on first read: the engine passes a function
    (`build_rules`), so a caller that reads only the status and the amount (the sandbox over every
    application, the benchmark) never formats an explanation."""

    clause: str
    status: Status
    max_amount_wan: Decimal | None = None  # 可兑现上限 in 万元; None: cannot be computed yet
    batch_id: str | None = None
    pack_version: str | None = None
    error: str = ""  # Status.ERROR: the engine's refusal, in words people read
    field: str = ""  # Status.ERROR: the fact it concerns
    registry: Mapping[str, Any] | None = None  # the registry check behind it (issue 11), if any
    # The validated, flattened facts the engine judged (derived ones included); not in the JSON,
    # so empty for a verdict read back from storage.
    facts: Mapping[str, Any] = dataclasses.field(default_factory=dict, repr=False, compare=False)
    build_rules: Callable[[], tuple[RuleOutcome, ...]] | tuple[RuleOutcome, ...] = dataclasses.field(
        default=(), repr=False, compare=False)

    @property
    def rules(self) -> tuple[RuleOutcome, ...]:
        rules = self.build_rules
        if callable(rules):
            rules = tuple(rules())
            object.__setattr__(self, "build_rules", rules)  # memoised; the value never changes
        return rules

    def rule(self, rule_id: str) -> RuleOutcome | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def outcomes(self) -> dict[str, Outcome]:
        """rule id → outcome."""
        return {r.id: r.outcome for r in self.rules}

    @property
    def is_error(self) -> bool:
        return self.status is Status.ERROR

    def with_rules(self, rules, **changes) -> "Verdict":
        """A copy with other rules (and other fields): how the platform annotates a verdict."""
        return replace(self, build_rules=tuple(rules), **changes)

    def to_json(self) -> dict:
        """CONTRACTS §2 (key order included: the API and the CLI print exactly this)."""
        if self.is_error:
            return {"clause": self.clause, "status": self.status.value, "error": self.error, "field": self.field,
                    "rules": [r.to_json() for r in self.rules], "max_amount_wan": _amount_text(self.max_amount_wan)}
        d = {
            "clause": self.clause,
            "status": self.status.value,
            "max_amount_wan": _amount_text(self.max_amount_wan),
            "rules": [r.to_json() for r in self.rules],
            "batch_id": self.batch_id,
            "pack_version": self.pack_version,
        }
        if self.registry is not None:
            d["registry"] = self.registry
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, Any] | None) -> "Verdict | None":
        """The verdict stored as `d` (a snapshot's, a decision's); None for an empty one (never
        computed). An unknown status reads as needs_review: a person must look."""
        if not d:
            return None
        return cls(
            clause=str(d.get("clause") or ""),
            status=Status.read(d.get("status")) or Status.NEEDS_REVIEW,
            max_amount_wan=_amount(d.get("max_amount_wan")),
            batch_id=d.get("batch_id"),
            pack_version=d.get("pack_version"),
            error=str(d.get("error") or ""),
            field=str(d.get("field") or ""),
            registry=d.get("registry"),
            build_rules=tuple(RuleOutcome.from_json(r) for r in d.get("rules") or () if isinstance(r, Mapping)),
        )

    @classmethod
    def refused(cls, clause, message: str, field_name: str = "") -> "Verdict":
        """The platform's verdict when the engine refuses the facts (Status.ERROR)."""
        return cls(clause=str(clause), status=Status.ERROR, error=message, field=field_name)


def _amount_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
