"""Reads: the registries in force, an application's registry check, the parks that owe an evaluation."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy as _

from duixian.core.compiled import CompiledQuery

from .kinds import KINDS
from .matching import DEFAULT_THRESHOLD, Entry, registry_facts, similarity
from .models import EvaluationReminder, RegistryEntry, RegistryNote, RegistryVersion


def threshold() -> float:
    return float(getattr(settings, "REGISTRY_NAME_THRESHOLD", DEFAULT_THRESHOLD))


# Every live verdict (the task list, a section, 确认信息, the worker's check of a press) asks it:
# compiled once per process (duixian.core.compiled), the same objects as the queryset's.
_ACTIVE_VERSIONS = CompiledQuery(
    RegistryVersion, lambda: RegistryVersion.objects.filter(active=True).order_by("kind", "-number"), ())


def latest_versions() -> dict[str, RegistryVersion]:
    """kind → its latest active version (kinds never imported are absent)."""
    out: dict[str, RegistryVersion] = {}
    for v in _ACTIVE_VERSIONS.all():
        out.setdefault(v.kind, v)
    return out


_cache_lock = threading.Lock()
_cache: dict = {"key": None, "entries": []}


def versions() -> QuerySet[RegistryVersion]:
    """Registry versions with who imported and who withdrew them, by kind, newest first."""
    return RegistryVersion.objects.select_related("created_by", "withdrawn_by")


def active_entries() -> list[Entry]:
    """Rows of the latest active version of every kind, cached until a version changes."""
    versions = latest_versions()
    # pk alone is not enough: a rolled-back transaction (tests) may hand the same pk out again.
    key = tuple(sorted((k, v.pk, v.sha256, v.created_at.isoformat()) for k, v in versions.items()))
    with _cache_lock:
        if _cache["key"] == key:
            return _cache["entries"]
    entries = []
    if versions:
        numbers = {v.pk: v.number for v in versions.values()}
        for row in RegistryEntry.objects.filter(version_id__in=numbers).select_related("version").order_by("version_id", "line"):
            entries.append(Entry(
                kind=row.version.kind, uscc=row.uscc, name=row.name, project_name=row.project_name, year=row.year,
                source=row.source, line=row.line, version=numbers[row.version_id], version_id=row.version_id,
                evaluated_in_2025=row.evaluated_in_2025, entry_id=row.pk,
            ))
    with _cache_lock:
        _cache.update(key=key, entries=entries)
    return entries


@dataclass
class RegistryCheck:
    facts: dict
    sources: list[dict]
    flags: list[dict]
    notes: list = field(default_factory=list)

    @property
    def overrides(self) -> list[dict]:
        """Sources that changed (or supplied) an answer: what the applicant is told about."""
        return [s for s in self.sources if s["changed"]]

    @property
    def has_findings(self) -> bool:
        return bool(self.sources or self.flags)


def check_facts(clause, facts: dict, org_name: str | None = None, pack=None) -> RegistryCheck:
    """The registries laid over `facts` for a clause of `pack` (default: the default batch's)."""
    entries = active_entries()
    if not entries:
        return RegistryCheck(facts, [], [])
    uscc = (facts.get("org") or {}).get("uscc") if isinstance(facts.get("org"), dict) else None
    if pack is None:
        from duixian.policy.active import current_pack

        pack = current_pack()
    new, sources, flags = registry_facts(uscc, clause, facts, entries=entries, threshold=threshold(), org_name=org_name,
                                         pack=pack)
    return RegistryCheck(new, sources, flags)


def application_check(app) -> RegistryCheck:
    """The registry check of an application's current answers (what its live verdict uses)."""
    from duixian.applications.selectors import application_facts
    from duixian.policy.active import pack_of

    result = check_facts(app.clause, application_facts(app), org_name=app.organisation.name, pack=pack_of(app.batch_id))
    result.notes = list(RegistryNote.objects.filter(application=app).select_related("author"))
    return result


def fact_label(pack, fact: str) -> str:
    """A fact as the pages name it: its label in the application's pack, translated."""
    spec = pack.facts.all.get(fact) if pack.facts else None
    return gettext(spec.label) if spec else fact


def value_words(pack, fact: str, value) -> str:
    """A registry-set value in the words of the application's pack (its fact's choices)."""
    if value is None:
        return gettext("未填写")
    spec = pack.facts.all.get(fact) if pack.facts else None

    def word(v) -> str:
        if isinstance(v, bool):
            return gettext("是") if v else gettext("否")
        return gettext(spec.choice_label(v)) if spec and spec.choice_words else str(v)

    if isinstance(value, list):
        return gettext("、").join(word(v) for v in value) or gettext("无")
    return word(value)


def applications_with_findings(applications: QuerySet) -> list[tuple]:
    """(application, check) for each application whose registry check found something."""
    if not active_entries():
        return []
    out = []
    for app in applications.select_related("organisation"):
        check = application_check(app)
        if check.has_findings:
            out.append((app, check))
    return out


# ---- registry rows that owe an application (the pack's `obliges`, 2026: 五、（一）4) ----------------


@dataclass
class ObligatedPark:
    entry: Entry
    organisation: object | None
    application: object | None
    last_reminder: EvaluationReminder | None
    reminders: int
    reason_text: str = ""  # the pack's words (Chinese), translated when shown
    owed: str = ""  # the application owed, as the pack names it, e.g. 2025年度园区绩效评价
    citation: str = ""  # where the notice says so, e.g. 五、（一）4

    @property
    def reason(self) -> str:
        return gettext(self.reason_text)

    @property
    def submitted(self) -> bool:
        return self.application is not None


@dataclass(frozen=True)
class _Owed:
    link: object
    clauses: tuple[str, ...]
    application_type: str
    label: str


def _owed(pack) -> _Owed | None:
    """The registry link whose rows owe an application, the clauses and type it is owed under."""
    link = next((link for link in pack.registries if link.obliges), None)
    if link is None:
        return None
    clauses = tuple(str(n) for n in pack.clauses_reading(link.fact))
    conditions = dict(link.when)
    application_type, label = "", ""
    for number in clauses:
        clause = pack.clause(number)
        if clause.type_fact in conditions:
            application_type = str(conditions[clause.type_fact])
            label = clause.type_labels.get(application_type, application_type)
    return _Owed(link, clauses, application_type, label or "、".join(pack.clause_name(n) for n in clauses))


def obligated_parks(organisation=None, pack=None) -> list[ObligatedPark]:
    """Every registry row that owes an application of the batch (default: the default batch),
    as the pack's `obliges` says, with its submission if any."""
    from duixian.applications.models import Application, ApplicationState
    from duixian.orgs.models import Organisation
    from duixian.policy.active import current_pack

    pack = pack or current_pack()
    owed = _owed(pack)
    if owed is None:
        return []
    reasons = {}
    for e in active_entries():
        if e.kind == owed.link.kind:
            found = next((o for o in owed.link.obliges if o.holds(e.year, e.evaluated_in_2025)), None)
            if found is not None:
                reasons[e] = found.reason
    entries = list(reasons)
    if organisation is not None:
        entries = [e for e in entries if organisation.uscc and e.uscc == organisation.uscc]
    if not entries:
        return []
    usccs = {e.uscc for e in entries}
    orgs = {o.uscc: o for o in Organisation.objects.filter(uscc__in=usccs)}
    evaluations: dict[str, list] = {}
    applications = Application.objects.filter(organisation__uscc__in=usccs, batch_id=pack.batch_id,
                                              clause__in=owed.clauses)
    if owed.application_type:
        applications = applications.filter(application_type=owed.application_type)
    for app in (applications.exclude(first_submitted_at__isnull=True).exclude(state=ApplicationState.WITHDRAWN)
                .select_related("organisation").order_by("first_submitted_at")):
        evaluations.setdefault(app.organisation.uscc, []).append(app)
    per_uscc: dict[str, int] = {}
    for e in entries:
        per_uscc[e.uscc] = per_uscc.get(e.uscc, 0) + 1
    reminders: dict[tuple, list] = {}
    for r in EvaluationReminder.objects.filter(uscc__in=usccs).order_by("-sent_at", "-pk"):
        reminders.setdefault((r.uscc, r.park_name), []).append(r)
    citation = kind_citation(owed.link.kind, pack)
    out = []
    for e in entries:
        apps = evaluations.get(e.uscc, [])
        if per_uscc[e.uscc] > 1:  # one operator, several parks: the application must name this one
            apps = [a for a in apps if similarity(a.project_name, e.project_name) >= threshold()]
        sent = reminders.get((e.uscc, e.project_name), [])
        out.append(ObligatedPark(e, orgs.get(e.uscc), apps[0] if apps else None, sent[0] if sent else None, len(sent),
                                 reasons[e], owed.label, citation))
    out.sort(key=lambda p: (p.submitted, p.entry.year, p.entry.uscc, p.entry.line))
    return out


def obligation_of(uscc: str, park_name: str) -> ObligatedPark | None:
    for p in obligated_parks():
        if p.entry.uscc == uscc and p.entry.project_name == park_name:
            return p
    return None


def obligation_sentences(pack=None) -> list[tuple[str, str]]:
    """(place, words) of the notice's sentences at the place the owing registry is cited from
    (kind_citation of the link with `obliges`), e.g. (五、（一）4, 2025年度评审通过的…); none
    when the pack obliges nothing."""
    if pack is None:
        from duixian.policy.active import current_pack

        pack = current_pack()
    owed = _owed(pack)
    if owed is None:
        return []
    places = kind_citation(owed.link.kind, pack).split("；")
    return [(s.ref, s.text) for s in pack.sentences if s.document is None and s.ref in places]


def kind_citation(kind: str, pack=None) -> str:
    """Where the notice (of `pack`, default: the default batch's) asks what a registry kind proves:
    the places of the rules that read the fact the pack links it to, e.g. 二、（二）1；五、（二）1."""
    if pack is None:
        from duixian.policy.active import current_pack

        pack = current_pack()
    places: dict[str, None] = {}
    for link in pack.registries:
        if link.kind == kind:
            for rule in pack.rules:
                if link.fact in rule.inputs:
                    places.setdefault(rule.citation.text, None)
    return "；".join(places)


def kinds_overview() -> list[dict]:
    latest = latest_versions()
    counts: dict[str, int] = {}
    for v in RegistryVersion.objects.all():
        counts[v.kind] = counts.get(v.kind, 0) + 1
    return [{"spec": spec, "latest": latest.get(key), "versions": counts.get(key, 0), "citation": kind_citation(key)}
            for key, spec in KINDS.items()]
