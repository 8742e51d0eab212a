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

from .kinds import KINDS

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
    pack=None,
) -> tuple[dict, list[dict], list[dict]]:
    """(facts with registry values laid over the answers, source rows, flags for the clerk).

    `facts` is nested (CONTRACTS §2) and is not modified. `entries` are the rows of the latest
    active version of each registry kind. Which kind proves which fact, and so which clauses it
    serves, is the pack's (`registries`; default: the shipped pack).
    """
    if pack is None:
        from duixian.policy.pack import default_pack

        pack = default_pack()
    uscc = (org_uscc or "").strip().upper()
    res = _Result(facts)
    by_kind: dict[str, list[Entry]] = {}
    for e in entries:
        by_kind.setdefault(e.kind, []).append(e)
    project = str(_get(facts, "project.name") or "")
    serving = {link.kind for link in pack.registry_links(clause)} if str(clause).isdigit() else set()

    def org_level(kind: str, apply, note_elsewhere: bool) -> None:
        rows = by_kind.get(kind, [])
        for e in rows:
            if uscc and e.uscc == uscc:
                if kind in serving:
                    apply(e, None)
                elif note_elsewhere:
                    res.flag("info", f"本单位在“{KINDS[e.kind].label}”中（{NOT_A_CONDITION}）。", e)
        if org_name and (kind in serving or note_elsewhere):
            others = [e for e in rows if not (uscc and e.uscc == uscc)]
            for score, e in _similar(normalise_name(org_name), others, threshold, "name_key"):
                res.flag("similar_name",
                         f"“{KINDS[e.kind].label}”中有名称相似的单位「{e.name}」（相似度 {score:.0f}），"
                         "统一社会信用代码不同，请核对是否为同一单位。", e, score)

    for link in pack.registries:
        spec = KINDS.get(link.kind)
        if spec is None:  # a kind this platform does not import
            continue
        apply = _applier(res, facts, link, pack)
        if spec.layout == "org":
            # the organisation's own record (credit) is worth a note where it is no condition
            org_level(link.kind, apply, note_elsewhere=spec.group == "credit")
        elif link.kind not in serving:
            continue
        elif spec.layout == "project":
            _project_matches(res, uscc, project, by_kind.get(link.kind, []), threshold, apply)
        elif spec.layout == "park":
            _parks(res, uscc, project, link, facts, by_kind.get(link.kind, []), threshold, pack)

    return res.facts, res.sources, res.flags


def _label(pack, fact: str) -> str:
    spec = pack.facts.all.get(fact) if pack.facts else None
    return spec.label if spec else fact


def _holds(facts: dict, conditions) -> bool:
    return all(_get(facts, name) == value for name, value in conditions)


def _answers(facts: dict, conditions, pack) -> str:
    """“大赛年份为2025”: the answers a link's condition names, in the pack's words."""
    words = []
    for name, value in conditions:
        spec = pack.facts.all.get(name) if pack.facts else None
        label = spec.label if spec else name
        shown = spec.choice_label(value) if spec and spec.choice_words else value
        words.append(f"{label}为{shown}")
    return "、".join(words)


def _applies(facts: dict, link) -> bool:
    return _holds(facts, link.when) and not (link.unless and _holds(facts, link.unless))


def _applier(res: _Result, facts: dict, link, pack):
    """What an exact hit of this link does: set (or add to) its fact, or, where its `when` or
    `unless` says the answers do not call for it, only tell the clerk."""
    fact_spec = pack.facts.all.get(link.fact) if pack.facts else None

    def apply(e: Entry, score: float | None) -> None:
        match = "uscc" if score is None else "uscc+name"
        if not _applies(facts, link):
            conditions = link.unless if link.unless and _holds(facts, link.unless) else link.when
            res.flag("info", f"“{KINDS[e.kind].label}”中有本{'单位' if score is None else '项目'}，"
                             f"但本申报{'填写的' if link.unless else '并非'}{_answers(facts, conditions, pack)}，请核对。",
                     e, score)
        elif fact_spec is not None and fact_spec.type == "list":
            res.add_to_list(link.fact, link.value, e, score, match)
        else:
            res.set(link.fact, link.value, e, score, match)

    return apply


def _parks(res: _Result, uscc: str, park_name: str, link, facts: dict, parks: list[Entry], threshold: float,
           pack) -> None:
    """A park registry (`year_fact`): the operator's own park, by name (or its only one), gives the
    year it was approved and whether it took part in the last evaluation."""
    if not parks:
        return
    own = [e for e in parks if uscc and e.uscc == uscc]
    key = normalise_name(park_name)
    scored = sorted(((key_similarity(key, e.project_key), e) for e in own), key=lambda x: (-x[0], x[1].line))
    best = None
    if scored and (scored[0][0] >= threshold or len(own) == 1):
        best = scored[0]
    if _applies(facts, link):
        if best is not None:
            score, e = best
            res.set(link.fact, e.year, e, score, "uscc+name" if score >= threshold else "uscc")
            if link.evaluated_fact and e.evaluated_in_2025 is not None:
                res.set(link.evaluated_fact, e.evaluated_in_2025, e, score, "uscc")
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
                     f"“{KINDS[link.kind].label}”中没有本单位（按统一社会信用代码），请核对“{_label(pack, link.fact)}”。",
                     None)
    elif best is not None:
        score, e = best
        res.flag("info", f"该园区已于{e.year}年度评审通过（{KINDS[e.kind].label}），"
                         f"但本申报并非{_answers(facts, link.when, pack)}，请核对。", e, score)
    for score, e in _similar(key, [e for e in parks if not (uscc and e.uscc == uscc)], threshold):
        res.flag("similar_name",
                 f"已评审通过园区名单中有名称相似的园区「{e.project_name}」（{e.name}，相似度 {score:.0f}），"
                 "运营单位统一社会信用代码不同，请核对。", e, score)
