"""政策找企业: every clause of the given batches judged on an organisation's profile alone.

`match(org, packs)` evaluates each clause that takes applications with the same engine and the
same registry overlay as the application pages (policy_bridge.evaluate_facts), on
`profile_facts(org)` and the moment of asking, and sorts it into one of three standings:

- 不符合 (NOT_ELIGIBLE): some rule fails on what is known (e.g. a clause for enterprises and
  teams, and the organisation is a university) — the failing rules decide it;
- 需补充信息 (NEEDS_INFO): nothing fails, but a rule waits for a fact of the organisation's own
  profile that it has never given (e.g. 自主知识产权) — those rules decide it, their facts are
  what is missing;
- 可能符合 (POSSIBLE): nothing fails and every profile rule passes; what is still open is asked
  in the application itself (the project's facts) or judged by reviewers.

Clauses that take no application in the batch (免申即享, or started separately) are listed with
the pack's words, never judged. Every rule carries the notice's citation (the Verdict's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from duixian.applications import policy_bridge
from duixian.core import clock
from duixian.orgs.models import Organisation
from duixian.policy.pack import Pack
from duixian.policy.verdict import Outcome, RuleOutcome, Status, Verdict

from .profile import is_profile_fact, profile_facts

POSSIBLE, NEEDS_INFO, NOT_ELIGIBLE, NOT_OPEN = "possible", "needs_info", "not_eligible", "not_open"
STANDING_LABELS = {
    POSSIBLE: _("可能符合"), NEEDS_INFO: _("需补充信息"), NOT_ELIGIBLE: _("不符合"), NOT_OPEN: _("无需申报"),
}
STANDING_TONES = {POSSIBLE: "ok", NOT_ELIGIBLE: "bad", NEEDS_INFO: "warn"}


@dataclass(frozen=True)
class ClauseMatch:
    batch_id: str
    batch_title: str
    clause: str
    name: str  # the clause as the pack names it (`display.clause_name` and short title)
    standing: str
    verdict: Verdict | None = None
    deciding: tuple[RuleOutcome, ...] = ()  # the rules that put the clause in its standing
    missing: tuple[str, ...] = ()  # profile facts to give (labels)
    asked_later: tuple[str, ...] = ()  # facts the application itself asks (labels)
    note: str = ""  # a clause taking no application: the pack's words

    @property
    def label(self) -> str:
        return str(STANDING_LABELS[self.standing])

    @property
    def tone(self) -> str:
        return STANDING_TONES.get(self.standing, "")

    @property
    def key(self) -> tuple[str, str]:
        return self.batch_id, self.clause


@dataclass
class OrganisationMatch:
    organisation: Organisation
    clauses: list[ClauseMatch] = field(default_factory=list)

    def by_standing(self, standing: str) -> list[ClauseMatch]:
        return [c for c in self.clauses if c.standing == standing]

    def possible_keys(self) -> set[tuple[str, str]]:
        return {c.key for c in self.clauses if c.standing == POSSIBLE}


def _missing_sources(pack: Pack, rule: RuleOutcome) -> list[str]:
    """The given facts behind a rule's missing ones (a derived fact stands for its sources)."""
    names: list[str] = []
    for name in rule.missing:
        for source in pack.facts.sources(name):
            if source not in names:
                names.append(source)
    return names


def judge(pack: Pack, clause: str, verdict: Verdict) -> ClauseMatch:
    """Sort one verdict on profile facts into its standing."""
    name = f"{pack.clause_name(clause)} {pack.clause(int(clause)).short_title}"
    base = {"batch_id": pack.batch_id, "batch_title": pack.title, "clause": str(clause), "name": name,
            "verdict": verdict}
    if verdict.status in (Status.INELIGIBLE, Status.EVALUATION_ONLY):
        failed = tuple(r for r in verdict.rules if r.outcome == Outcome.FAIL)
        return ClauseMatch(standing=NOT_ELIGIBLE, deciding=failed, **base)
    if verdict.status == Status.ERROR:
        return ClauseMatch(standing=NEEDS_INFO, note=verdict.error, **base)
    label = pack.facts.label
    profile_rules, missing, later = [], [], []
    for rule in verdict.rules:
        if rule.outcome != Outcome.UNKNOWN:
            continue
        sources = _missing_sources(pack, rule)
        if any(is_profile_fact(s) for s in sources):
            profile_rules.append(rule)
        for source in sources:
            target = missing if is_profile_fact(source) else later
            if label(source) not in target:
                target.append(label(source))
    if profile_rules:
        return ClauseMatch(standing=NEEDS_INFO, deciding=tuple(profile_rules), missing=tuple(missing),
                           asked_later=tuple(later), **base)
    passed = tuple(r for r in verdict.rules if r.outcome == Outcome.PASS)
    return ClauseMatch(standing=POSSIBLE, deciding=passed, asked_later=tuple(later), **base)


def facts_for(pack: Pack, profile: dict, moment: datetime) -> dict:
    """The profile in the pack's vocabulary, asked at `moment` (as if submitted then)."""
    from duixian.applications import questions as q

    flat = {name: value for name, value in profile.items() if name in pack.facts.given}
    if "submitted_at" in pack.facts.given:
        flat["submitted_at"] = moment.astimezone(clock.SHANGHAI).isoformat()
    return q.nest(flat)


def match(org: Organisation, packs: list[Pack], *, moment: datetime | None = None,
          profile: dict | None = None) -> OrganisationMatch:
    """Every clause of every pack in `packs`, judged on the organisation's profile."""
    moment = moment or clock.now()
    profile = profile if profile is not None else profile_facts(org)
    result = OrganisationMatch(org)
    for pack in packs:
        facts = facts_for(pack, profile, moment)
        for clause in pack.clauses:
            if not clause.takes_applications:
                result.clauses.append(ClauseMatch(
                    pack.batch_id, pack.title, str(clause.number),
                    f"{pack.clause_name(clause.number)} {clause.short_title}", NOT_OPEN,
                    note=clause.note or clause.text))
                continue
            verdict = policy_bridge.evaluate_facts(str(clause.number), facts, pack)
            result.clauses.append(judge(pack, str(clause.number), verdict))
    return result
