"""Matching an application against the registries: a pure function, no database.

`registry_facts(org_uscc, clause, facts, entries=..., threshold=...)` returns the facts with the
registries' answers laid over the applicant's, the registry rows that did so (`sources`), and the
cases a clerk must look at (`flags`). The rules:

* an **exact hit** is the same USCC and, for projects and parks, a project (park) name whose
  similarity to the registry's reaches the threshold after normalisation (punctuation, spaces and
  common suffixes such as 项目、有限公司 removed). It sets the fact, with its source row;
* the same USCC with a dissimilar project name (a renamed project?) and a similar name under
  another USCC (a project moved to another company?) only **flag** the application for the clerk;
* organisation registries (credit, operators' platforms) match by USCC alone; a similar
  organisation name under another USCC is a flag when the organisation's name is given.

Similarity is rapidfuzz's `fuzz.ratio` (0–100) on the normalised names.
"""

from __future__ import annotations

import copy
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable

from rapidfuzz import fuzz, process

from .kinds import KINDS, OPERATOR_PRIOR_VALUE, SCENE_PRIOR_VALUE

__all__ = ["Entry", "normalise_name", "similarity", "registry_facts", "DEFAULT_THRESHOLD"]

DEFAULT_THRESHOLD = 85
# A registry row about a condition the application's clause does not have: shown, never applied.
NOT_A_CONDITION = "本申报所依条款无此条件，供审核参考"
# Removed from the end of a name, repeatedly, longest first; never below two characters.
SUFFIXES = tuple(sorted((
    "有限责任公司", "股份有限公司", "有限公司", "公司", "集团",
    "项目", "工程", "一期", "二期", "三期",
), key=len, reverse=True))


def normalise_name(name: str | None) -> str:
    """NFKC, lower case, no punctuation/symbols/spaces, common suffixes stripped."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PSZC")
    changed = True
    while changed:
        changed = False
        for suffix in SUFFIXES:
            if text.endswith(suffix) and len(text) - len(suffix) >= 2:
                text = text[: -len(suffix)]
                changed = True
                break
    return text


def similarity(a: str | None, b: str | None) -> float:
    """0–100; identical normalised names give 100, an empty name 0."""
    return key_similarity(normalise_name(a), normalise_name(b))


def key_similarity(na: str, nb: str) -> float:
    """Similarity of two already normalised names."""
    if not na or not nb:
        return 0.0
    if na == nb:
        return 100.0
    if min(len(na), len(nb)) < 4:
        return 0.0  # too short to call similar: only an identical name counts
    return float(fuzz.ratio(na, nb))


@dataclass(frozen=True)
class Entry:
    """One registry row as the matcher sees it."""

    kind: str
    uscc: str
    name: str
    project_name: str
    year: int
    source: str
    line: int
    version: int  # the version's number for its kind (第几版)
    version_id: int = 0
    evaluated_in_2025: bool | None = None
    entry_id: int = 0
    project_key: str = field(default="", compare=False, repr=False)  # normalised once, matched many times
    name_key: str = field(default="", compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "project_key", normalise_name(self.project_name))
        object.__setattr__(self, "name_key", normalise_name(self.name))

    def row(self, score: float | None = None) -> dict:
        spec = KINDS[self.kind]
        d = {
            "kind": self.kind, "kind_label": spec.label, "version": self.version, "version_id": self.version_id,
            "entry_id": self.entry_id, "line": self.line, "uscc": self.uscc, "name": self.name,
            "project_name": self.project_name, "year": self.year, "source": self.source,
            "evaluated_in_2025": self.evaluated_in_2025,
        }
        if score is not None:
            d["score"] = round(score, 1)
        d["text"] = describe(d)
        return d


def describe(row: dict) -> str:
    """“省未来产业标杆应用场景（第2版）第3行：合肥某公司「某项目」，2025年，来源：…”."""
    project = f"「{row['project_name']}」" if row.get("project_name") else ""
    return (f"{row['kind_label']}（第{row['version']}版）第{row['line']}行：{row['name']}{project}，"
            f"{row['year']}年，来源：{row['source']}")


def _get(facts: dict, dotted: str, default: Any = None) -> Any:
    head, _, tail = dotted.partition(".")
    part = facts.get(head)
    if not tail:
        return part if part is not None else default
    if not isinstance(part, dict) or tail not in part:
        return default
    return part[tail]


def _has(facts: dict, dotted: str) -> bool:
    head, _, tail = dotted.partition(".")
    part = facts.get(head)
    return isinstance(part, dict) and tail in part


def _set(facts: dict, dotted: str, value: Any) -> None:
    head, _, tail = dotted.partition(".")
    facts.setdefault(head, {})[tail] = value


class _Result:
    def __init__(self, facts: dict):
        self.original = facts
        self.facts = copy.deepcopy(facts)
        self.sources: list[dict] = []
        self.flags: list[dict] = []

    def set(self, fact: str, value: Any, entry: Entry, score: float | None, match: str) -> None:
        answered = _has(self.original, fact)
        answer = _get(self.original, fact)
        _set(self.facts, fact, value)
        self.sources.append({
            "fact": fact, "value": value, "answered": answered, "answer": answer,
            "changed": (not answered) or answer != value, "match": match, **entry.row(score),
        })

    def add_to_list(self, fact: str, item: str, entry: Entry, score: float | None, match: str) -> None:
        current = _get(self.facts, fact)
        current = list(current) if isinstance(current, list) else []
        if item not in current:
            current.append(item)
        self.set(fact, current, entry, score, match)

    def flag(self, code: str, message: str, entry: Entry | None, score: float | None = None) -> None:
        flag = {"code": code, "message": message}
        if entry is not None:
            flag.update(entry.row(score))
        self.flags.append(flag)


def _similar(key: str, entries: list[Entry], threshold: float, attr: str = "project_key") -> list[tuple[float, Entry]]:
    """(score, entry) for entries whose name reaches the threshold; rapidfuzz scans them in C."""
    if not key or not entries:
        return []
    choices = [getattr(e, attr) for e in entries]
    found = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=threshold, limit=None)
    out = []
    for _choice, _raw, i in sorted(found, key=lambda x: x[2]):  # in file order
        score = key_similarity(key, choices[i])  # applies the short-name rule
        if score >= threshold:
            out.append((score, entries[i]))
    return out


def _project_matches(res: _Result, uscc: str, project: str, entries: list[Entry], threshold: float, apply) -> None:
    """Exact hits (same USCC, similar project) call `apply(entry, score)`; the rest may flag."""
    key = normalise_name(project)
    for e in entries:
        if uscc and e.uscc == uscc:
            score = key_similarity(key, e.project_key)
            if score >= threshold:
                apply(e, score)
            else:
                res.flag("same_org_other_project",
                         f"本单位在“{KINDS[e.kind].label}”中有项目「{e.project_name}」（名称相似度 {score:.0f}），"
                         f"请核对是否与本申报「{project}」为同一项目（如项目更名）。", e, score)
    others = [e for e in entries if not (uscc and e.uscc == uscc)]
    for score, e in _similar(key, others, threshold):
        res.flag("similar_name",
                 f"“{KINDS[e.kind].label}”中有名称相似的项目「{e.project_name}」（{e.name}，相似度 {score:.0f}），"
                 "统一社会信用代码不同，请核对是否为同一项目。", e, score)


def registry_facts(
    org_uscc: str | None,
    clause: str | int,
    facts: dict,
    *,
    entries: Iterable[Entry],
    threshold: float = DEFAULT_THRESHOLD,
    org_name: str | None = None,
) -> tuple[dict, list[dict], list[dict]]:
    """(facts with registry values laid over the answers, source rows, flags for the clerk).

    `facts` is nested (CONTRACTS §2) and is not modified. `entries` are the rows of the latest
    active version of each registry kind.
    """
    clause = str(clause)
    uscc = (org_uscc or "").strip().upper()
    res = _Result(facts)
    by_kind: dict[str, list[Entry]] = {}
    for e in entries:
        by_kind.setdefault(e.kind, []).append(e)
    project = str(_get(facts, "project.name") or "")

    def org_level(kind: str, apply, other_clause_note: str | None = None) -> None:
        rows = by_kind.get(kind, [])
        for e in rows:
            if uscc and e.uscc == uscc:
                if clause in KINDS[kind].clauses:
                    apply(e)
                elif other_clause_note:
                    res.flag("info", f"本单位在“{KINDS[e.kind].label}”中（{other_clause_note}）。", e)
        if org_name:
            others = [e for e in rows if not (uscc and e.uscc == uscc)]
            for score, e in _similar(normalise_name(org_name), others, threshold, "name_key"):
                res.flag("similar_name",
                         f"“{KINDS[e.kind].label}”中有名称相似的单位「{e.name}」（相似度 {score:.0f}），"
                         "统一社会信用代码不同，请核对是否为同一单位。", e, score)

    # credit: every clause that asks for it; a clause without such a condition gets only a note
    org_level("serious_dishonesty", lambda e: res.set("org.credit_good", False, e, None, "uscc"), NOT_A_CONDITION)
    org_level("major_violation", lambda e: res.set("org.major_violation", True, e, None, "uscc"), NOT_A_CONDITION)

    if clause == "2":
        for kind, value in SCENE_PRIOR_VALUE.items():
            _project_matches(res, uscc, project, by_kind.get(kind, []), threshold,
                             lambda e, s, v=value: res.add_to_list("scene.prior_support", v, e, s, "uscc+name"))

    elif clause == "4":
        def redeemed(e: Entry, score: float) -> None:
            if _get(facts, "award.competition_year") == 2025:
                res.flag("info", f"“{KINDS[e.kind].label}”中有本项目，但本申报填写的获奖年度为2025年，请核对。", e, score)
            else:
                res.set("award.redeemed_in_2025", True, e, score, "uscc+name")

        _project_matches(res, uscc, project, by_kind.get("competition_redeemed_2025", []), threshold, redeemed)

    elif clause == "5":
        for kind, value in OPERATOR_PRIOR_VALUE.items():
            org_level(kind, lambda e, v=value: res.add_to_list("operator.prior_support", v, e, None, "uscc"))
        _parks(res, uscc, project, _get(facts, "park.application_type"), by_kind.get("approved_park", []), threshold)

    return res.facts, res.sources, res.flags


def _parks(res: _Result, uscc: str, park_name: str, application_type, parks: list[Entry], threshold: float) -> None:
    if not parks:
        return
    own = [e for e in parks if uscc and e.uscc == uscc]
    key = normalise_name(park_name)
    scored = sorted(((key_similarity(key, e.project_key), e) for e in own), key=lambda x: (-x[0], x[1].line))
    best = None
    if scored and (scored[0][0] >= threshold or len(own) == 1):
        best = scored[0]
    if application_type == "evaluation":
        if best is not None:
            score, e = best
            res.set("park.approved_year", e.year, e, score, "uscc+name" if score >= threshold else "uscc")
            if e.evaluated_in_2025 is not None:
                res.set("park.evaluated_in_2025", e.evaluated_in_2025, e, score, "uscc")
            if score < threshold:
                res.flag("same_org_other_project",
                         f"登记册中本单位的园区名称为「{e.project_name}」，与本申报「{park_name}」不一致"
                         f"（相似度 {score:.0f}），请核对是否为同一园区。", e, score)
        elif own:
            for score, e in scored:
                res.flag("same_org_other_project",
                         f"登记册中本单位有园区「{e.project_name}」（相似度 {score:.0f}），与本申报「{park_name}」"
                         "名称不一致，请核对。", e, score)
        else:
            res.flag("not_in_registry",
                     "已评审通过园区名单中没有本单位（按统一社会信用代码），请核对“园区评审通过的年度”。", None)
    elif best is not None:
        score, e = best
        res.flag("info", f"该园区已于{e.year}年度评审通过（{KINDS[e.kind].label}），本次为创建申报，请核对。", e, score)
    for score, e in _similar(key, [e for e in parks if not (uscc and e.uscc == uscc)], threshold):
        res.flag("similar_name",
                 f"已评审通过园区名单中有名称相似的园区「{e.project_name}」（{e.name}，相似度 {score:.0f}），"
                 "运营单位统一社会信用代码不同，请核对。", e, score)
