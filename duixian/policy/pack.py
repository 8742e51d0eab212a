"""Policy packs: one notice as one YAML file, loaded, validated and compiled in one go.

A pack either loads completely or raises PackError listing every problem with its place
(`rules[3] c2.owns_ip .expr`, line 412). Nothing here imports Django, so the engine can be used
and tested alone. Format: docs/policy-pack.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable
from zoneinfo import ZoneInfo

from .packfile import (  # noqa: F401  (DEFAULT_PACK_PATH, PackError, … are still imported from here)
    DEFAULT_PACK_PATH,
    ComputeParameters,
    PackError,
    PackProblem,
    _Checker,
    _compute_sentence,
    _compute_units,
    _project_period,
    _read_yaml,
    _timezone,
    citation_text,
    load_compute_parameters,
)
from .scoring import Sheet, read_sheets
from .registrylinks import RegistryLink, read_registry_links

if TYPE_CHECKING:  # the rules compiler (rule_engine) is imported only when a whole pack is built
    from .expr import Compiled
    from .facts import Vocabulary

__all__ = [
    "PackError",
    "Pack",
    "Clause",
    "Rule",
    "Citation",
    "Sentence",
    "ParameterValue",
    "load_pack",
    "load_pack_text",
    "default_pack",
    "ComputeParameters",
    "load_compute_parameters",
    "DEFAULT_PACK_PATH",
    "CLAUSE_KINDS",
    "RULE_KINDS",
    "STATUSES",
]

CLAUSE_KINDS = ("application", "automatic", "not_in_this_batch")
# Parameters the compute subsidy (免申即享) reads by role: the price per base unit (元), the ratio.
PARAMETER_ROLES = ("compute_price", "compute_ratio")
RULE_KINDS = ("hard", "review", "evidence")
STATUSES = ("eligible", "ineligible", "needs_review", "evaluation_only")
FAIL_STATUSES = ("evaluation_only",)


# -- value objects -----------------------------------------------------------------------------

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_REF_RE = re.compile(r"^([一二三四五六七八九十]+)(?:、(?:（([一二三四五六七八九十]+)）)?(\d+)?)?$")


def _cn_number(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGITS[s[1]]
    if len(s) == 2 and s[1] == "十":
        return _CN_DIGITS[s[0]] * 10
    if len(s) == 3 and s[1] == "十":
        return _CN_DIGITS[s[0]] * 10 + _CN_DIGITS[s[2]]
    return _CN_DIGITS[s]


@dataclass(frozen=True)
class Citation:
    """A place in the notice in its own numbering: 二、（二）1 → section 2, subsection 2, item 1."""

    section: int | None
    subsection: int | None
    item: int | None
    text: str
    # None: the notice. Otherwise the document cited in its own numbering, e.g. 《若干政策（2.0版）》
    # for a rule the notice does not state but the policy text does.
    document: str | None = None

    @classmethod
    def parse(cls, ref: str, document: str | None = None) -> "Citation | None":
        m = _REF_RE.match(ref)
        if not m:
            return None
        sec, sub, item = m.groups()
        text = f"{document}{ref}" if document else ref
        return cls(_cn_number(sec), _cn_number(sub) if sub else None, int(item) if item else None, text, document)

    def as_dict(self) -> dict:
        d = {"section": self.section, "subsection": self.subsection, "item": self.item, "text": self.text}
        if self.document:
            d["document"] = self.document
        return d


@dataclass(frozen=True)
class Sentence:
    id: str
    ref: str
    text: str
    citation: Citation | None
    no_rule: str | None = None
    implemented_by: tuple[str, ...] = ()
    note: str | None = None
    document: str | None = None  # None: the notice; else the policy text it is quoted from


@dataclass(frozen=True)
class Clause:
    number: int
    title: str
    short_title: str
    kind: str
    text: str
    note: str | None = None
    application_types: dict[str, str] = field(default_factory=dict)  # type → its title in the notice
    type_labels: dict[str, str] = field(default_factory=dict)  # type → its short label, e.g. 2026年度园区创建申报
    type_fact: str = ""  # the fact an application's type sets, e.g. park.application_type
    # `admits_unregistered`: also open to a team without a USCC and to an organisation registered
    # outside the province that moved in (those may apply for such clauses only)
    admits_unregistered: bool = False

    @property
    def number_cn(self) -> str:
        """The notice's own numeral for the section: 二 for clause 2."""
        return next((k for k, v in _CN_DIGITS.items() if v == self.number), str(self.number))

    @property
    def label(self) -> str:
        """The 依据政策条款 cell of 附件2, e.g. `2.促进垂类模型应用`."""
        return f"{self.number}.{self.short_title}"

    @property
    def takes_applications(self) -> bool:
        return self.kind == "application"


@dataclass(frozen=True)
class ParameterValue:
    name: str
    value: Decimal | None
    since: dt.date
    confirmed: bool
    source: str
    unit: str = ""
    description: str = ""
    clause: int | None = None  # the clause whose money it sets (the 政策沙盘 tries it there)
    role: str = ""  # what the platform computes with it beyond amount formulas: PARAMETER_ROLES


@dataclass
class Rule:
    id: str
    clauses: tuple[int, ...]
    sentence: str
    citation: Citation
    kind: str
    message: str
    expr_text: str | None
    when_text: str | None = None
    overrides: tuple[str, ...] = ()
    fail_message: str | None = None
    source: str | None = None
    expr: Compiled | None = None
    when: Compiled | None = None
    overridden_by: tuple[str, ...] = ()
    # A consistency check a clerk should see: false makes the rule `unknown` (须人工核实), never
    # `fail`; it is left out when a fact it compares is absent or null (nothing to compare).
    flag: bool = False
    # The verdict status when this rule is the only kind of failure (五（一）4: evaluation_only).
    fail_status: str | None = None

    @property
    def inputs(self) -> frozenset[str]:
        out: set[str] = set()
        if self.expr:
            out |= self.expr.inputs
        if self.when:
            out |= self.when.inputs
        return frozenset(out)


@dataclass(frozen=True)
class CityContact:
    city_code: str
    city: str
    phone: str


@dataclass(frozen=True)
class ProvinceContact:
    name: str
    phone: str
    phones: tuple[str, ...]


@dataclass(frozen=True)
class Contacts:
    province: ProvinceContact
    cities: tuple[CityContact, ...]

    def city(self, city_code: str) -> CityContact | None:
        for c in self.cities:
            if c.city_code == city_code:
                return c
        return None


@dataclass(frozen=True)
class Delivery:
    by: str
    place: str
    address: str
    phone: str
    copies: int
    copies_text: str
    items: tuple[str, ...]
    deadline: dt.datetime
    sentence: str = ""  # the notice's sentence the delivery duty is cited from (Pack.cite)


@dataclass(frozen=True)
class SummaryTable:
    title: str
    header_lines: tuple[str, ...]
    columns: tuple[str, ...]
    clause_cell: str
    sample_row: tuple[str, ...]
    # Clause 五's rows say which kind they are: application type → word, e.g. evaluation → 绩效评价.
    type_words: dict = field(default_factory=dict)

    def cell(self, clause: "Clause", application_type: str = "") -> str:
        """The 依据政策条款 cell: `2.促进垂类模型应用`, or `5.支持产业集聚发展（绩效评价）`."""
        pattern = self.clause_cell or "{number}.{short_title}"
        text = pattern.format(number=clause.number, short_title=clause.short_title, title=clause.title)
        word = self.type_words.get(application_type or "")
        return f"{text}（{word}）" if word else text


@dataclass(frozen=True)
class Material:
    """A file the applicant uploads. `required`: the slot must hold a file; `confirmed`: the
    province (the notice or a 补充通知) asks for it. Only a required AND confirmed slot blocks
    submission; an unconfirmed slot is shown as 待省科技厅确认."""

    id: str
    name: str
    rules: tuple[str, ...] = ()
    required: bool = True
    confirmed: bool = False
    sentence: str | None = None
    source: str = ""

    @property
    def blocking(self) -> bool:
        return self.required and self.confirmed


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    rules: tuple[str, ...] = ()


# The application's own fields a form may ask besides facts (they are not facts: the name, the
# amount asked for, the contact person), and the widgets a question may use with the fact types
# each accepts.
FORM_FIELDS = ("project_name", "amount_requested_wan", "contact_name", "contact_phone")
QUESTION_KINDS = {
    "bool": ("bool",), "text": ("str", "uscc"), "phone": ("str",), "date": ("date",), "nullable_date": ("date",),
    "decimal": ("decimal",), "integer": ("int",), "choice": ("enum", "int"), "multi": ("list",), "region": ("str",),
}
_FIELD_KINDS = {"project_name": "text", "amount_requested_wan": "decimal", "contact_name": "text", "contact_phone": "phone"}


@dataclass(frozen=True)
class FormQuestion:
    """One question of the application form: a fact (or an application field), its widget and
    words, and when it is asked (`show_if`: every answer equals; `hide_if`: not when all equal)."""

    name: str
    kind: str
    label: str = ""  # empty: the fact's label
    help: tuple[str, ...] = ()  # sentences, each translated on its own
    cite: str = ""
    choices: tuple[tuple[Any, str], ...] = ()
    show_if: tuple[tuple[str, Any], ...] = ()
    hide_if: tuple[tuple[str, Any], ...] = ()
    required: bool = True
    hidden_note: tuple[str, ...] = ()  # what the application's pages say while it is not asked


@dataclass(frozen=True)
class FormSection:
    id: str
    key: str  # the section's address in the application (its URL), e.g. park
    title: str
    intro: str = ""
    questions: tuple[FormQuestion, ...] = ()


@dataclass(frozen=True)
class Amount:
    clause: int
    expr: Compiled | None
    note: str
    parameters: tuple[str, ...]
    confirmed: bool  # every parameter it uses is confirmed with a value


@dataclass
class Pack:
    """A loaded, validated and compiled policy pack."""

    path: str
    batch_id: str
    version: str
    year: int
    title: str
    issuer: str
    notice_date: dt.date
    basis: str
    portal: str
    tz: ZoneInfo
    application_open: dt.datetime
    application_close: dt.datetime  # exclusive
    city_review_deadline: dt.datetime  # exclusive
    project_period_start: dt.date
    project_period_end: dt.date  # inclusive
    window_note: str
    clauses: list[Clause]
    sentences: list[Sentence]
    parameters: dict[str, list[ParameterValue]]
    rules: list[Rule]
    amounts: dict[int, Amount]
    compute_units: list[dict]
    contacts: Contacts
    helpdesk_name: str
    helpdesk_phones: tuple[str, ...]
    delivery: Delivery
    summary_table: SummaryTable
    _materials: dict[str, list[Material]]
    _checklist: dict[str, list[ChecklistItem]]
    _forms: dict[str, tuple[FormSection, ...]]
    fixtures: dict[str, Any]
    tests: list[dict]
    city_codes: frozenset[str] = frozenset()
    digest: str = ""  # sha256 of the file's text: which exact pack a snapshot or audit event used
    compiled: dict = field(default_factory=dict, repr=False)  # engine's per-clause plans
    facts: Vocabulary | None = field(default=None, repr=False)  # the `facts` section: the vocabulary
    clause_name_format: str = "{number}"  # `display.clause_name`, e.g. 第{number_cn}条
    _scoring: dict[str, Sheet] = field(default_factory=dict, repr=False)  # `scoring_sheets`, by key
    publication_title: str = ""  # `display.publication_title`: the 公示's default title
    objection_contact: str = ""  # `display.objection_contact`: where objections to a 公示 go
    registries: tuple[RegistryLink, ...] = ()  # `registries`: which registry kind proves which fact
    # `windows.city_review_expiry_sentence`: the sentence that what the city deadline leaves open
    # expires (逾期) is cited from; "" when the notice says nothing of it (then nothing is cited)
    city_review_expiry_sentence: str = ""
    # `notice_text`: the notice's full text as published, shown on the notice page and offered as
    # plain text; "" when the pack carries only its sentences
    notice_text: str = ""

    def cite(self, sentence_id: str) -> str:
        """Where a sentence is from, as pages cite it: 通知六、（三）, or the quoted document's own
        numbering (《若干政策（2.0版）》二); "" for no sentence."""
        if not sentence_id:
            return ""
        s = self.sentence(sentence_id)
        return citation_text(s.ref, s.document)

    def clause_name(self, number: int | str) -> str:
        """A clause as pages name it, in the notice's numbering (`display.clause_name`)."""
        c = self.clause(number)
        return self.clause_name_format.format(number=c.number, number_cn=c.number_cn, short_title=c.short_title,
                                              title=c.title)

    # -- lookups ---------------------------------------------------------------------------
    def clause(self, number: int | str) -> Clause:
        n = int(number)
        for c in self.clauses:
            if c.number == n:
                return c
        raise KeyError(f"本批次没有第{number}条")

    def rules_for(self, clause: int) -> list[Rule]:
        return [r for r in self.rules if clause in r.clauses]

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def sentence(self, sentence_id: str) -> Sentence:
        for s in self.sentences:
            if s.id == sentence_id:
                return s
        raise KeyError(sentence_id)

    def parameter(self, name: str, on: dt.date | None = None) -> ParameterValue:
        """The value in force on `on` (default: the notice date), with its source and status."""
        values = self.parameters[name]
        on = on or self.notice_date
        current = None
        for v in values:
            if v.since <= on:
                current = v
        if current is None:
            raise KeyError(f"参数 {name} 在 {on} 尚未生效")
        return current

    def parameter_for(self, role: str) -> str | None:
        """The name of the parameter with this role (PARAMETER_ROLES), if the pack has one."""
        for name, values in self.parameters.items():
            if values and values[0].role == role:
                return name
        return None

    def materials(self, clause: int, application_type: str | None = None) -> list[Material]:
        """Required materials: the common ones, the clause's, and those of its application type."""
        out = list(self._materials.get("common", [])) + list(self._materials.get(str(int(clause)), []))
        if application_type:
            out += self._materials.get(f"{int(clause)}.{application_type}", [])
        return out

    def form(self, clause: int | str, application_type: str = "") -> tuple[FormSection, ...]:
        """The application form's sections for a clause (and its application type), in order."""
        key = f"{int(clause)}.{application_type}" if application_type else str(int(clause))
        return self._forms.get(key, ())

    def checklist(self, clause: int) -> list[ChecklistItem]:
        return list(self._checklist.get("common", [])) + list(self._checklist.get(str(int(clause)), []))

    def scoring_sheet(self, clause: int | str, application_type: str = "") -> Sheet | None:
        """The experts' sheet for an application of this clause (and type): the type's own
        (`5.evaluation`), else the clause's (`2`); None when the clause has no expert review."""
        key = str(int(clause))
        return (self._scoring.get(f"{key}.{application_type}") if application_type else None) or self._scoring.get(key)

    def scoring_sheets(self) -> list[Sheet]:
        """Every sheet, in the file's order."""
        return list(self._scoring.values())

    def scored_clauses(self) -> list[str]:
        """The clauses an expert panel can be formed for: those with at least one sheet."""
        return list(dict.fromkeys(sheet.clause for sheet in self._scoring.values()))

    def clauses_reading(self, fact: str) -> list[int]:
        """The clauses with a rule that reads `fact` (in its expression or its `when`)."""
        return [c.number for c in self.clauses if any(fact in r.inputs for r in self.rules_for(c.number))]

    def registry_links(self, clause: int | str) -> list[RegistryLink]:
        """The registry links that serve a clause: those whose fact its rules read."""
        n = int(clause)
        return [link for link in self.registries if n in self.clauses_reading(link.fact)]

    def application_window_contains(self, instant: dt.datetime) -> bool:
        return self.application_open <= instant < self.application_close

    def project_period_contains(self, day: dt.date) -> bool:
        return self.project_period_start <= day <= self.project_period_end

    @property
    def project_period_end_exclusive(self) -> dt.datetime:
        """The first instant after the project period: 00:00 of the day after its last day."""
        nxt = self.project_period_end + dt.timedelta(days=1)
        return dt.datetime(nxt.year, nxt.month, nxt.day, tzinfo=self.tz)


# -- loading (reading the YAML and its checker: packfile.py) -------------------------------------


def load_pack(path: str | Path) -> Pack:
    """Load, validate and compile a pack file; raise PackError listing every problem."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise PackError([PackProblem(str(p), f"无法读取文件：{e.strerror or e}")], str(p)) from None
    return load_pack_text(text, str(p))


def load_pack_text(text: str, source: str = "<text>") -> Pack:
    data, ck = _read_yaml(text, source)
    try:
        pack = _build(data, ck, source)
    except (TypeError, AttributeError, ValueError, KeyError) as e:
        # A shape the checks above did not foresee: still a list of problems, never a traceback.
        ck.problems.append(PackProblem("(结构)", f"无法识别的结构：{e}"))
        pack = None
    if ck.problems:
        raise PackError(ck.problems, source)
    pack.digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    from . import engine  # late: the engine prepares per-clause plans from a built pack

    engine.prepare(pack)
    return pack


def _build(data: dict, ck: _Checker, source: str) -> Pack | None:
    from .expr import Compiler, ExprError

    if data.get("format") == 1:
        data = _upgrade_format_1(data)
    elif data.get("format") != 2:
        ck.add("format", "只支持 format: 2（format: 1 是政策包写入事实与申报表之前的格式，见 docs/policy-pack.md）")
    data = _inherit_scoring_sheets(data)
    data = _inherit_registry_links(data)
    data = _inherit_notice_text(data)
    batch = ck.get(data, "batch", "", dict, default={})
    batch_id = ck.get(batch, "id", "batch", default="")
    version = ck.get(batch, "version", "batch", default="")
    year = ck.get(batch, "year", "batch", int, default=0)
    title = ck.get(batch, "title", "batch", default="")
    tz = _timezone(ck, batch)
    notice_date = ck.date(batch.get("notice_date"), "batch.notice_date") if "notice_date" in batch else None
    if notice_date is None and "notice_date" not in batch:
        ck.add("batch.notice_date", "缺少必填项")

    # windows
    w = ck.get(data, "windows", "", dict, default={})
    app_open = ck.datetime(w.get("application_open"), "windows.application_open")
    app_close = ck.datetime(w.get("application_close"), "windows.application_close")
    city_deadline = ck.datetime(w.get("city_review_deadline"), "windows.city_review_deadline")
    p_start, p_end = _project_period(ck, w)
    if app_open and app_close and app_open >= app_close:
        ck.add("windows.application_close", "关闭时间须晚于开放时间")
    if app_close and city_deadline and city_deadline < app_close:
        ck.add("windows.city_review_deadline", "市级推荐截止时间不能早于申报关闭时间")

    # clauses
    clauses: list[Clause] = []
    seen_numbers: set[int] = set()
    for i, c in enumerate(ck.get(data, "clauses", "", list, default=[])):
        path = f"clauses[{i}]"
        if not isinstance(c, dict):
            ck.add(path, "应为映射")
            continue
        number = ck.get(c, "number", path, int, default=0)
        if number in seen_numbers:
            ck.add(f"{path}.number", f"条款编号重复：{number}")
        seen_numbers.add(number)
        kind = ck.get(c, "kind", path, default="")
        if kind and kind not in CLAUSE_KINDS:
            ck.add(f"{path}.kind", f"未知的条款类型：{kind}（应为 {' | '.join(CLAUSE_KINDS)}）")
        types = ck.get(c, "application_types", path, dict, required=False, default={})
        titles, labels = {}, {}
        for key, spec in types.items():
            # `creation: 标题` or `creation: {title: 标题, label: 简称}`
            spec = spec if isinstance(spec, dict) else {"title": spec}
            titles[str(key)] = ck.get(spec, "title", f"{path}.application_types.{key}", default="")
            labels[str(key)] = str(spec.get("label") or titles[str(key)])
        type_fact = ck.get(c, "application_type_fact", path, required=bool(types), default="")
        clauses.append(
            Clause(
                number=number,
                title=ck.get(c, "title", path, default=""),
                short_title=ck.get(c, "short_title", path, default=""),
                kind=kind,
                text=ck.get(c, "text", path, default=""),
                note=ck.get(c, "note", path, required=False),
                application_types=titles,
                type_labels=labels,
                type_fact=type_fact,
                admits_unregistered=ck.get(c, "admits_unregistered", path, bool, required=False, default=False),
            )
        )

    # sentences
    sentences: list[Sentence] = []
    sentence_ids: set[str] = set()
    for i, s in enumerate(ck.get(data, "sentences", "", list, default=[])):
        path = f"sentences[{i}]"
        if not isinstance(s, dict):
            ck.add(path, "应为映射")
            continue
        sid = ck.get(s, "id", path, default="")
        if sid in sentence_ids:
            ck.add(f"{path}.id", f"句子编号重复：{sid}")
        sentence_ids.add(sid)
        ref = ck.get(s, "ref", path, default="")
        impl = s.get("implemented_by") or []
        document = s.get("document")
        if document is not None and not (isinstance(document, str) and document.strip()):
            ck.add(f"{path}.document", "应为所引文件的名称，如《若干政策（2.0版）》")
            document = None
        sentences.append(
            Sentence(
                id=sid,
                ref=ref,
                text=ck.get(s, "text", path, default=""),
                citation=Citation.parse(ref, document),
                no_rule=s.get("no_rule"),
                implemented_by=tuple(str(x) for x in impl),
                note=s.get("note"),
                document=document,
            )
        )
    by_sentence = {s.id: s for s in sentences}

    # parameters
    parameters: dict[str, list[ParameterValue]] = {}
    roles_seen: dict[str, str] = {}
    for name, spec in (ck.get(data, "parameters", "", dict, default={}) or {}).items():
        path = f"parameters.{name}"
        if not re.match(r"^[a-z][a-z0-9_]*$", str(name)):
            ck.add(path, "参数名只能由小写字母、数字和下划线组成")
        if not isinstance(spec, dict):
            ck.add(path, "应为映射")
            continue
        vals = []
        for j, v in enumerate(ck.get(spec, "values", path, list, default=[])):
            vpath = f"{path}.values[{j}]"
            if not isinstance(v, dict):
                ck.add(vpath, "应为映射")
                continue
            since = ck.date(v.get("since"), f"{vpath}.since")
            raw = v.get("value")
            value = None
            if raw is not None:
                try:
                    value = Decimal(str(raw))
                except InvalidOperation:
                    ck.add(f"{vpath}.value", f"数值无效：{raw!r}")
            confirmed = v.get("confirmed")
            if not isinstance(confirmed, bool):
                ck.add(f"{vpath}.confirmed", "须写明 true 或 false")
                confirmed = False
            if confirmed and value is None:
                ck.add(f"{vpath}.value", "已确认的参数须有数值")
            source_ref = ck.get(v, "source", vpath, default="")
            if since:
                vals.append(
                    ParameterValue(
                        str(name), value, since, confirmed, source_ref, str(spec.get("unit", "")), str(spec.get("description", ""))
                    )
                )
        vals.sort(key=lambda x: x.since)
        clause_of = ck.get(spec, "clause", path, int, required=False, default=None)
        if clause_of is not None and all(c.number != clause_of for c in clauses):
            ck.add(f"{path}.clause", f"没有第{clause_of}条")
        role = ck.get(spec, "role", path, required=False, default="")
        if role and role not in PARAMETER_ROLES:
            ck.add(f"{path}.role", f"未知的用途：{role}（应为 {' | '.join(PARAMETER_ROLES)}）")
        if role and role in roles_seen:
            ck.add(f"{path}.role", f"用途 {role} 已由参数 {roles_seen[role]} 承担")
        roles_seen.setdefault(role, str(name))
        vals = [dataclasses.replace(v, clause=clause_of, role=role) for v in vals]
        if not vals:
            ck.add(f"{path}.values", "至少需要一个取值")
        parameters[str(name)] = vals

    def param_now(name: str) -> ParameterValue | None:
        vals = parameters.get(name) or []
        cur = None
        for v in vals:
            if notice_date is None or v.since <= notice_date:
                cur = v
        return cur

    # contacts (before rules: the city codes decide which division codes are Anhui)
    contacts_raw = ck.get(data, "contacts", "", dict, default={})
    prov = ck.get(contacts_raw, "province", "contacts", dict, default={})
    province = ProvinceContact(
        ck.get(prov, "name", "contacts.province", default=""),
        ck.get(prov, "phone", "contacts.province", default=""),
        tuple(str(x) for x in (prov.get("phones") or [])),
    )
    cities = []
    codes_seen: set[str] = set()
    for i, c in enumerate(ck.get(contacts_raw, "cities", "contacts", list, default=[])):
        path = f"contacts.cities[{i}]"
        code = ck.get(c, "city_code", path, default="")
        if code and not re.match(r"^\d{4}00$", code):
            ck.add(f"{path}.city_code", f"地市代码应为6位且以00结尾：{code}")
        if code in codes_seen:
            ck.add(f"{path}.city_code", f"地市代码重复：{code}")
        codes_seen.add(code)
        cities.append(CityContact(code, ck.get(c, "city", path, default=""), ck.get(c, "phone", path, default="")))
    contacts = Contacts(province, tuple(cities))

    # compiler: facts, window constants and confirmed parameters
    # Declared even when a window is invalid (its own error is reported), so rules using it
    # are not reported a second time as "unknown name".
    constants: dict[str, tuple[str, Any]] = {
        "window.application_open": ("datetime", app_open),
        "window.application_close": ("datetime", app_close),
        "window.city_review_deadline": ("datetime", city_deadline),
        "window.project_period_start": ("date", p_start),
        "window.project_period_end": ("date", p_end),
    }
    param_values = {}
    for name in parameters:
        cur = param_now(name)
        param_values[f"param.{name}"] = cur.value if (cur and cur.confirmed) else None
    vocabulary = _facts(ck, data, frozenset(c.city_code for c in cities))
    compiler = Compiler(vocabulary.rule_types(), constants, param_values, tz)

    # rules
    rules: list[Rule] = []
    rule_ids: set[str] = set()
    clause_numbers = {c.number for c in clauses}
    for i, r in enumerate(ck.get(data, "rules", "", list, default=[])):
        path = f"rules[{i}]"
        if not isinstance(r, dict):
            ck.add(path, "应为映射")
            continue
        rid = ck.get(r, "id", path, default="")
        label = rid or None
        if rid in rule_ids:
            ck.add(f"{path}.id", f"规则编号重复：{rid}", label)
        rule_ids.add(rid)
        rclauses = ck.get(r, "clauses", path, list, default=[])
        for n in rclauses:
            if n not in clause_numbers:
                ck.add(f"{path}.clauses", f"没有第{n}条", label)
            else:
                cl = next(c for c in clauses if c.number == n)
                if cl.kind != "application":
                    ck.add(f"{path}.clauses", f"第{n}条不受理申报（{cl.kind}），不能挂规则", label)
        sid = ck.get(r, "sentence", path, default="")
        citation = None
        if sid and sid not in by_sentence:
            ck.add(f"{path}.sentence", f"没有编号为 {sid} 的句子（缺少出处）", label)
        elif sid:
            citation = by_sentence[sid].citation
            if citation is None or citation.section is None:
                ck.add(f"{path}.sentence", f"句子 {sid} 的位置“{by_sentence[sid].ref}”不是通知的条款编号", label)
        kind = ck.get(r, "kind", path, default="")
        if kind and kind not in RULE_KINDS:
            ck.add(f"{path}.kind", f"未知的规则类型：{kind}（应为 {' | '.join(RULE_KINDS)}）", label)
        message = ck.get(r, "message", path, default="")
        if message and not re.search(r"[\u4e00-\u9fff]", message):
            ck.add(f"{path}.message", "提示信息应为中文", label)
        expr_text = r.get("expr")
        if expr_text is None and kind != "review":
            ck.add(f"{path}.expr", "缺少表达式（只有 review 规则可以没有表达式，表示须由人判断）", label)
        compiled = when = None
        if expr_text is not None:
            try:
                compiled = compiler.compile(str(expr_text), "bool")
                _check_params(compiled, parameters, param_now)
            except ExprError as e:
                ck.add(f"{path}.expr", str(e), label)
        when_text = r.get("when")
        if when_text is not None:
            try:
                when = compiler.compile(str(when_text), "bool")
                _check_params(when, parameters, param_now)
            except ExprError as e:
                ck.add(f"{path}.when", str(e), label)
        flag = r.get("flag", False)
        if not isinstance(flag, bool):
            ck.add(f"{path}.flag", "须写明 true 或 false", label)
            flag = False
        if flag and (kind != "review" or expr_text is None):
            ck.add(f"{path}.flag", "核实提示（flag）须为有表达式的 review 规则", label)
        fail_status = r.get("fail_status")
        if fail_status is not None and fail_status not in FAIL_STATUSES:
            ck.add(f"{path}.fail_status", f"未知的结论：{fail_status}（应为 {' | '.join(FAIL_STATUSES)}）", label)
        if fail_status is not None and (kind != "hard" or flag):
            ck.add(f"{path}.fail_status", "只有 hard 规则可以指定 fail_status", label)
        overrides = r.get("overrides") or []
        if overrides and when_text is None:
            ck.add(f"{path}.overrides", "例外规则须有 when 条件，否则被替代的规则永远不起作用", label)
        rules.append(
            Rule(
                id=rid,
                clauses=tuple(n for n in rclauses if isinstance(n, int)),
                sentence=sid,
                citation=citation or Citation(None, None, None, ""),
                kind=kind,
                message=message,
                expr_text=None if expr_text is None else str(expr_text),
                when_text=None if when_text is None else str(when_text),
                overrides=tuple(str(x) for x in overrides),
                fail_message=r.get("fail_message"),
                source=r.get("source"),
                expr=compiled,
                when=when,
                flag=flag,
                fail_status=fail_status,
            )
        )
    by_rule = {r.id: r for r in rules}
    for i, r in enumerate(rules):
        for target in r.overrides:
            t = by_rule.get(target)
            if t is None:
                ck.add(f"rules[{i}].overrides", f"被替代的规则不存在：{target}", r.id)
            elif not set(r.clauses) <= set(t.clauses):
                ck.add(f"rules[{i}].overrides", f"例外规则与被替代规则 {target} 不属于同一条款", r.id)
            elif t.overrides:
                ck.add(f"rules[{i}].overrides", f"被替代的规则 {target} 本身也是例外规则，不允许链式替代", r.id)
            else:
                t.overridden_by = t.overridden_by + (r.id,)

    # every sentence is implemented by a rule or says why not
    implemented = {r.sentence for r in rules}
    for i, s in enumerate(sentences):
        if s.id not in implemented and not s.no_rule:
            ck.add(f"sentences[{i}]", f"句子 {s.id} 没有规则实现，也没有说明原因（no_rule）")

    # amounts
    amounts: dict[int, Amount] = {}
    for key, spec in (ck.get(data, "amounts", "", dict, required=False, default={}) or {}).items():
        path = f"amounts.{key}"
        try:
            n = int(key)
        except (TypeError, ValueError):
            ck.add(path, "键应为条款编号")
            continue
        if n not in clause_numbers:
            ck.add(path, f"没有第{n}条")
        text = ck.get(spec, "expr", path, default=None)
        compiled = None
        if text:
            try:
                compiled = compiler.compile(text, "num")
            except ExprError as e:
                ck.add(f"{path}.expr", str(e))
        used = tuple(sorted(x.split(".", 1)[1] for x in (compiled.params if compiled else ())))
        confirmed = bool(compiled) and all((param_now(u) is not None and param_now(u).confirmed) for u in used)
        amounts[n] = Amount(n, compiled, str(spec.get("note", "")) if isinstance(spec, dict) else "", used, confirmed)

    # materials and checklist
    def _items(section: str, cls):
        out: dict[str, list] = {}
        raw = ck.get(data, section, "", dict, required=False, default={}) or {}
        for key, items in raw.items():
            key = str(key)
            head = key.split(".")[0]
            if head != "common" and (not head.isdigit() or int(head) not in clause_numbers):
                ck.add(f"{section}.{key}", "键应为 common、条款编号或“条款编号.申报类型”")
            if "." in key and head.isdigit() and int(head) in clause_numbers:
                types = next(c for c in clauses if c.number == int(head)).application_types
                if key.split(".", 1)[1] not in types:
                    ck.add(f"{section}.{key}", f"第{head}条没有申报类型 {key.split('.', 1)[1]}")
            lst = []
            if not isinstance(items, list):
                ck.add(f"{section}.{key}", "类型应为列表")
                items = []
            for j, it in enumerate(items):
                ipath = f"{section}.{key}[{j}]"
                if not isinstance(it, dict):
                    ck.add(ipath, "应为映射")
                    continue
                for rr in ck.seq(it, "rules", ipath):
                    if rr not in by_rule:
                        ck.add(f"{ipath}.rules", f"规则不存在：{rr}")
                if it.get("sentence") and it["sentence"] not in by_sentence:
                    ck.add(f"{ipath}.sentence", f"没有编号为 {it['sentence']} 的句子")
                rules_of = tuple(str(x) for x in ck.seq(it, "rules", ipath))
                if cls is Material:
                    lst.append(_material(ck, it, ipath, rules_of))
                else:
                    lst.append(ChecklistItem(ck.get(it, "id", ipath, default=""), ck.get(it, "text", ipath, default=""), rules_of))
            out[key] = lst
        return out

    materials = _items("materials", Material)
    checklist = _items("checklist", ChecklistItem)
    _check_materials(ck, data, materials, clauses)
    scoring = read_sheets(ck, data, clauses, by_rule, sentence_ids, vocabulary)
    registry_links = read_registry_links(ck, data, vocabulary)

    helpdesk = ck.get(data, "helpdesk", "", dict, default={})
    dl = ck.get(data, "delivery", "", dict, default={})
    deadline_key = dl.get("deadline", "city_review_deadline")
    if deadline_key != "city_review_deadline":
        ck.add("delivery.deadline", "报送期限应引用 city_review_deadline")
    delivery = Delivery(
        by=ck.get(dl, "by", "delivery", default=""),
        place=ck.get(dl, "place", "delivery", default=""),
        address=ck.get(dl, "address", "delivery", default=""),
        phone=ck.get(dl, "phone", "delivery", default=""),
        copies=ck.get(dl, "copies", "delivery", int, default=0),
        copies_text=ck.get(dl, "copies_text", "delivery", default=""),
        items=tuple(str(x) for x in ck.seq(dl, "items", "delivery")),
        deadline=city_deadline,
        sentence=_sentence_ref(ck, dl, "delivery", sentence_ids),
    )
    expiry_sentence = _sentence_ref(ck, w, "windows", sentence_ids, key="city_review_expiry_sentence")
    st = ck.get(data, "summary_table", "", dict, default={})
    summary = SummaryTable(
        title=ck.get(st, "title", "summary_table", default=""),
        header_lines=tuple(str(x) for x in ck.seq(st, "header_lines", "summary_table")),
        columns=tuple(str(x) for x in ck.seq(st, "columns", "summary_table")),
        clause_cell=str(st.get("clause_cell", "{number}.{short_title}")) if isinstance(st, dict) else "",
        sample_row=tuple(str(x) for x in ck.seq(st, "sample_row", "summary_table")),
        type_words={str(k): str(v) for k, v in ((st.get("type_words") or {}) if isinstance(st, dict) else {}).items()},
    )
    if not summary.columns:
        ck.add("summary_table.columns", "缺少必填项")

    units = _compute_units(ck, data)
    _compute_sentence(ck, units, sentence_ids)
    notice_text = ck.get(data, "notice_text", "", str, required=False, default="")
    forms = _forms(ck, data, clauses, vocabulary)
    display = ck.get(data, "display", "", dict, required=False, default={}) or {}
    clause_name_format = ck.get(display, "clause_name", "display", required=False, default="{number}")
    try:
        clause_name_format.format(number=1, number_cn="一", short_title="", title="")
    except (KeyError, IndexError, ValueError):
        ck.add("display.clause_name", "格式只能使用 {number}、{number_cn}、{short_title}、{title}")
    publication_title = ck.get(display, "publication_title", "display", required=False, default="") or f"{title}拟支持项目公示"
    objection_contact = ck.get(display, "objection_contact", "display", required=False, default="") or " ".join(
        x for x in (province.name, province.phone) if x)

    fixtures = ck.get(data, "fixtures", "", dict, required=False, default={}) or {}
    tests = ck.get(data, "tests", "", list, required=False, default=[]) or []
    for i, t in enumerate(tests):
        path = f"tests[{i}]"
        if not isinstance(t, dict):
            ck.add(path, "应为映射")
            continue
        if not t.get("name"):
            ck.add(f"{path}.name", "缺少必填项")
        if t.get("base") and t["base"] not in fixtures:
            ck.add(f"{path}.base", f"没有名为 {t['base']} 的 fixture")
        exp = t.get("expect")
        if not isinstance(exp, dict):
            ck.add(f"{path}.expect", "缺少必填项")
            continue
        for k in ("fail", "unknown", "absent", "says"):
            for rid in exp.get(k) or []:
                if rid not in by_rule:
                    ck.add(f"{path}.expect.{k}", f"规则不存在：{rid}", t.get("name"))
        if "status" in exp and exp["status"] not in STATUSES:
            ck.add(f"{path}.expect.status", f"未知的结论：{exp['status']}", t.get("name"))

    if ck.problems:
        return None
    return Pack(
        path=source,
        batch_id=batch_id,
        version=str(version),
        year=year,
        title=title,
        issuer=str(batch.get("issuer", "")),
        notice_date=notice_date,
        basis=str(batch.get("basis", "")),
        portal=str(batch.get("portal", "")),
        tz=tz,
        application_open=app_open,
        application_close=app_close,
        city_review_deadline=city_deadline,
        project_period_start=p_start,
        project_period_end=p_end,
        window_note=str(w.get("decision_note", "")),
        clauses=clauses,
        sentences=sentences,
        parameters=parameters,
        rules=rules,
        amounts=amounts,
        compute_units=list(units),
        contacts=contacts,
        helpdesk_name=str(helpdesk.get("name", "")),
        helpdesk_phones=tuple(str(x) for x in (helpdesk.get("phones") or ())),
        delivery=delivery,
        summary_table=summary,
        _materials=materials,
        _checklist=checklist,
        _forms=forms,
        clause_name_format=clause_name_format,
        _scoring=scoring,
        publication_title=publication_title,
        objection_contact=objection_contact,
        registries=registry_links,
        city_review_expiry_sentence=expiry_sentence,
        notice_text=notice_text,
        fixtures=fixtures,
        tests=tests,
        city_codes=frozenset(c.city_code for c in cities),
        facts=vocabulary,
    )


def _sentence_ref(ck: "_Checker", section: Any, path: str, sentence_ids: set[str], key: str = "sentence") -> str:
    """An optional `key` naming one of the pack's sentences (its id), checked to exist."""
    if not isinstance(section, dict) or section.get(key) in (None, ""):
        return ""
    sid = str(section[key])
    if sid not in sentence_ids:
        ck.add(f"{path}.{key}", f"引用的句子 {sid} 不在 sentences 中")
        return ""
    return sid


def _upgrade_format_1(data: dict) -> dict:
    """A pack written before the facts, the forms and the display formats were in the file
    (format 1, e.g. a version stored in the database before the upgrade): those sections, and each
    clause's application_type_fact, are the shipped pack's, which is what the code said then; the
    forms of clauses this pack does not take applications for are left out."""
    shipped, _ = _read_yaml(DEFAULT_PACK_PATH.read_text(encoding="utf-8"), str(DEFAULT_PACK_PATH))
    out = dict(data)
    clauses = [c for c in (data.get("clauses") or []) if isinstance(c, dict)]
    type_facts = {c.get("number"): c.get("application_type_fact") for c in shipped.get("clauses") or []}
    if "clauses" in data and isinstance(data["clauses"], list):
        out["clauses"] = [
            {**c, "application_type_fact": type_facts.get(c.get("number"))}
            if isinstance(c, dict) and c.get("application_types") and "application_type_fact" not in c else c
            for c in data["clauses"]
        ]
    out.setdefault("facts", shipped.get("facts"))
    out.setdefault("display", shipped.get("display"))
    if "forms" not in out:
        keys = {str(c.get("number")) for c in clauses if c.get("kind") == "application" and not c.get("application_types")}
        keys |= {f"{c.get('number')}.{t}" for c in clauses if c.get("kind") == "application" for t in (c.get("application_types") or {})}
        forms = shipped.get("forms") or {}
        out["forms"] = {**forms, "applications": {k: v for k, v in (forms.get("applications") or {}).items() if k in keys}}
    return out


def _inherit_registry_links(data: dict) -> dict:
    """A version of the shipped batch stored before packs carried `registries` and the clauses'
    `admits_unregistered` reads the registries and admits teams as it did then: with the shipped
    file's links and clause flags, which are what the code held. Another batch without them uses
    no registry and admits no team without a code."""
    if "registries" in data or not isinstance(data.get("batch"), dict):
        return data
    shipped, _ = _read_yaml(DEFAULT_PACK_PATH.read_text(encoding="utf-8"), str(DEFAULT_PACK_PATH))
    if data["batch"].get("id") != (shipped.get("batch") or {}).get("id"):
        return data
    admits = {c.get("number") for c in shipped.get("clauses") or [] if isinstance(c, dict) and c.get("admits_unregistered")}
    clauses = data.get("clauses")
    if isinstance(clauses, list):
        clauses = [{**c, "admits_unregistered": True} if isinstance(c, dict) and c.get("number") in admits else c
                   for c in clauses]
    return {**data, "registries": shipped.get("registries") or {}, "clauses": clauses}


def _inherit_scoring_sheets(data: dict) -> dict:
    """A version of the shipped batch stored before packs carried `scoring_sheets` (format 1, or
    format 2 before the section existed) scores its panels as it did then: with the shipped file's
    sheets, which are what the code held. Another batch without the section has no expert review
    (its clauses are decided on the city's recommendation); `scoring_sheets: {}` says so explicitly."""
    if "scoring_sheets" in data or not isinstance(data.get("batch"), dict):
        return data
    shipped, _ = _read_yaml(DEFAULT_PACK_PATH.read_text(encoding="utf-8"), str(DEFAULT_PACK_PATH))
    if data["batch"].get("id") != (shipped.get("batch") or {}).get("id"):
        return data
    return {**data, "scoring_sheets": shipped.get("scoring_sheets") or {}}


def _inherit_notice_text(data: dict) -> dict:
    """A version of the shipped batch stored before packs carried `notice_text` shows the notice
    the page showed then: the shipped file's text. Another batch without it carries no full text
    (its notice page points to its sentences)."""
    if "notice_text" in data or not isinstance(data.get("batch"), dict):
        return data
    shipped, _ = _read_yaml(DEFAULT_PACK_PATH.read_text(encoding="utf-8"), str(DEFAULT_PACK_PATH))
    if data["batch"].get("id") != (shipped.get("batch") or {}).get("id"):
        return data
    return {**data, "notice_text": shipped.get("notice_text") or ""}


_FACT_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")
_FACT_KEYS = {"name", "type", "label", "help", "unit", "choices", "options", "null_label", "null_means_none",
              "widget", "derive", "undecided"}
_WIDGETS = ("region",)


def _facts(ck: "_Checker", data: dict, city_codes: frozenset[str]) -> Vocabulary:
    """The `facts` section: every fact a rule, a question or the calculator may read."""
    from .facts import DERIVATIONS, FACT_TYPES, Derivation, FactSpec, Vocabulary

    raw = ck.get(data, "facts", "", list, default=[])
    entries: list[tuple[str, dict]] = []
    seen: set[str] = set()
    for i, f in enumerate(raw):
        path = f"facts[{i}]"
        if not isinstance(f, dict):
            ck.add(path, "应为映射")
            continue
        for key in f:
            if key not in _FACT_KEYS:
                ck.add(f"{path}.{key}", f"未知的字段：{key}（可用：{'、'.join(sorted(_FACT_KEYS))}）")
        name = ck.get(f, "name", path, default="")
        if name and not _FACT_NAME.match(name):
            ck.add(f"{path}.name", f"事实名称应为小写字母、数字和下划线，至多一个点分隔命名空间，如 org.uscc：{name}")
        if name in seen:
            ck.add(f"{path}.name", f"事实名称重复：{name}")
        seen.add(name)
        entries.append((path, f))
    namespaces = {n.split(".", 1)[0] for n in seen if "." in n}
    given_types = {f.get("name"): f.get("type") for _, f in entries if "derive" not in f}
    specs = []
    for path, f in entries:
        name = str(f.get("name") or "")
        if name in namespaces:
            ck.add(f"{path}.name", f"事实名称 {name} 与命名空间 {name}.… 冲突")
        ftype = ck.get(f, "type", path, default="")
        if ftype and ftype not in FACT_TYPES:
            ck.add(f"{path}.type", f"未知的类型：{ftype}（应为 {' | '.join(FACT_TYPES)}）")
            ftype = ""
        label = ck.get(f, "label", path, default="")
        if label and not re.search(r"[\u4e00-\u9fff]", label):
            ck.add(f"{path}.label", "名称应为中文")
        texts = {k: ck.get(f, k, path, required=False, default="") for k in ("help", "unit", "null_label", "undecided")}
        choices = ck.get(f, "choices", path, dict, required=False, default={})
        if ftype in ("enum", "list") and not choices:
            ck.add(f"{path}.choices", f"{ftype} 类型须列出取值（取值: 中文名称）")
        elif choices and ftype not in ("enum", "list"):
            ck.add(f"{path}.choices", "只有 enum 与 list 类型有取值（choices）；int 类型的常用答案写在 options")
        options = ck.get(f, "options", path, dict, required=False, default={})
        if options and ftype != "int":
            ck.add(f"{path}.options", "只有 int 类型可以列出常用答案（options）")
        for value in options:
            if not isinstance(value, int) or isinstance(value, bool):
                ck.add(f"{path}.options", f"答案应为整数：{value!r}")
        null_means_none = ck.get(f, "null_means_none", path, bool, required=False, default=False)
        if null_means_none and ftype not in ("bool", "list"):
            ck.add(f"{path}.null_means_none", "只有 bool 与 list 类型的事实可以把 null 读作“没有”")
        widget = ck.get(f, "widget", path, required=False, default="")
        if widget and widget not in _WIDGETS:
            ck.add(f"{path}.widget", f"未知的输入方式：{widget}（应为 {' | '.join(_WIDGETS)}）")
        derive = None
        recipe = ck.get(f, "derive", path, dict, required=False, default=None)
        if recipe is not None:
            derive = _derivation(ck, f"{path}.derive", recipe, ftype, given_types, DERIVATIONS, Derivation)
        elif texts["undecided"]:
            ck.add(f"{path}.undecided", "只有派生事实（derive）可以写 undecided")
        specs.append(FactSpec(
            name=name, type=ftype or "str", label=label,
            choices=tuple(str(k) for k in choices),
            derived_from=derive.sources if derive else (),
            null_means_none=bool(null_means_none),
            help=texts["help"], unit=texts["unit"],
            choice_words=tuple((str(k), str(v)) for k, v in choices.items()),
            options=tuple((k, str(v)) for k, v in options.items()),
            null_label=texts["null_label"], widget=widget or "", derive=derive, undecided=texts["undecided"],
        ))
    return Vocabulary(specs, city_codes)


def _derivation(ck: "_Checker", path: str, recipe: dict, ftype: str, given_types: dict, derivations, cls):
    """A derived fact's `derive: {function, from, <parameters>}`, checked against its function."""
    fn = ck.get(recipe, "function", path, default="")
    if fn not in derivations:
        if fn:
            ck.add(f"{path}.function", f"未知的派生函数：{fn}（应为 {' | '.join(derivations)}）")
        return None
    _, source_types, params, result = derivations[fn]
    if ftype and ftype != result:
        ck.add(f"{path}.function", f"{fn} 的结果类型为 {result}，与事实的类型 {ftype} 不符")
    sources = [str(x) for x in ck.seq(recipe, "from", path)]
    if len(sources) != len(source_types):
        ck.add(f"{path}.from", f"{fn} 须依据 {len(source_types)} 个事实（类型依次为 {'、'.join(source_types)}）")
    for j, (src, want) in enumerate(zip(sources, source_types)):
        if src not in given_types:
            ck.add(f"{path}.from[{j}]", f"未知的事实：{src}（派生事实只能依据 facts 中直接给出的事实）")
        elif given_types[src] != want:
            ck.add(f"{path}.from[{j}]", f"{fn} 的第{j + 1}个依据应为 {want} 类型，{src} 是 {given_types[src]}")
    for p in params:
        if not isinstance(recipe.get(p), str) or not recipe.get(p):
            ck.add(f"{path}.{p}", f"{fn} 须给出参数 {p}（字符串）")
    for key in recipe:
        if key not in ("function", "from", *params):
            ck.add(f"{path}.{key}", f"{fn} 没有参数 {key}")
    return cls(fn, tuple(sources), tuple((p, str(recipe.get(p, ""))) for p in params))


def _texts(ck: "_Checker", value: Any, path: str) -> tuple[str, ...]:
    """A text or a list of texts (sentences translated one by one)."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    for x in items:
        if not isinstance(x, (str, int)) or isinstance(x, bool):
            ck.add(path, "应为文字或文字列表")
            return ()
    return tuple(str(x) for x in items)


def _conditions(ck: "_Checker", q: dict, key: str, path: str, vocabulary) -> tuple[tuple[str, Any], ...]:
    raw = ck.get(q, key, path, dict, required=False, default={})
    for name in raw:
        if str(name) not in vocabulary.given:
            ck.add(f"{path}.{key}.{name}", f"未知的事实：{name}")
    return tuple((str(k), v) for k, v in raw.items())


def _question(ck: "_Checker", q: Any, path: str, vocabulary) -> FormQuestion | None:
    if not isinstance(q, dict):
        ck.add(path, "应为映射")
        return None
    fact, fld = q.get("fact"), q.get("field")
    if (fact is None) == (fld is None):
        ck.add(path, "须写明 fact（所问的事实）或 field（申报书字段）之一")
        return None
    kind = ck.get(q, "kind", path, default="")
    if kind and kind not in QUESTION_KINDS:
        ck.add(f"{path}.kind", f"未知的输入方式：{kind}（应为 {' | '.join(QUESTION_KINDS)}）")
        kind = ""
    spec = None
    if fact is not None:
        spec = vocabulary.given.get(str(fact))
        if spec is None:
            ck.add(f"{path}.fact", f"未知的事实：{fact}" + ("（派生事实不能直接提问）" if str(fact) in vocabulary.derived else ""))
        elif kind and spec.type not in QUESTION_KINDS[kind]:
            ck.add(f"{path}.kind", f"{kind} 不能用于 {spec.type} 类型的事实 {fact}")
    elif str(fld) not in FORM_FIELDS:
        ck.add(f"{path}.field", f"未知的申报书字段：{fld}（应为 {' | '.join(FORM_FIELDS)}）")
    elif kind and kind != _FIELD_KINDS[str(fld)]:
        ck.add(f"{path}.kind", f"{fld} 的输入方式应为 {_FIELD_KINDS[str(fld)]}")
    raw_choices = ck.get(q, "choices", path, dict, required=False, default={})
    if spec is not None and raw_choices and spec.choices:
        for value in raw_choices:
            if str(value) not in spec.choices:
                ck.add(f"{path}.choices.{value}", f"{fact} 没有取值 {value}")
    choices = tuple((k, str(v)) for k, v in raw_choices.items()) or (spec.choice_words if spec is not None else ())
    if kind in ("choice", "multi") and not choices:
        ck.add(f"{path}.choices", "选择题须列出选项（取值: 文字），或所问事实有 choices")
    label = ck.get(q, "label", path, required=False, default="")
    if not label and spec is None:
        ck.add(f"{path}.label", "缺少必填项")
    required = ck.get(q, "required", path, bool, required=False, default=True)
    for key in q:
        if key not in ("fact", "field", "kind", "label", "help", "cite", "choices", "show_if", "hide_if", "required",
                       "hidden_note"):
            ck.add(f"{path}.{key}", f"未知的字段：{key}")
    return FormQuestion(
        name=str(fact if fact is not None else fld), kind=kind, label=label,
        help=_texts(ck, q.get("help"), f"{path}.help"), cite=ck.get(q, "cite", path, required=False, default=""),
        choices=choices, show_if=_conditions(ck, q, "show_if", path, vocabulary),
        hide_if=_conditions(ck, q, "hide_if", path, vocabulary), required=bool(required),
        hidden_note=_texts(ck, q.get("hidden_note"), f"{path}.hidden_note"),
    )


def _forms(ck: "_Checker", data: dict, clauses: list[Clause], vocabulary) -> dict[str, tuple[FormSection, ...]]:
    """The `forms` section: sections of questions, and each clause's (or clause.type's) list of them."""
    raw = ck.get(data, "forms", "", dict, default={})
    sections: dict[str, FormSection] = {}
    for sid, sec in (ck.get(raw, "sections", "forms", dict, default={}) or {}).items():
        path = f"forms.sections.{sid}"
        if not isinstance(sec, dict):
            ck.add(path, "应为映射")
            continue
        questions = []
        for j, q in enumerate(ck.get(sec, "questions", path, list, default=[])):
            question = _question(ck, q, f"{path}.questions[{j}]", vocabulary)
            if question is not None:
                questions.append(question)
        key = str(ck.get(sec, "key", path, required=False, default=str(sid)))
        if not re.match(r"^[a-z][a-z0-9_]*$", key):
            ck.add(f"{path}.key", f"栏目地址只能由小写字母、数字和下划线组成：{key}")
        sections[str(sid)] = FormSection(str(sid), key, ck.get(sec, "title", path, default=""),
                                         ck.get(sec, "intro", path, required=False, default=""), tuple(questions))
    out: dict[str, tuple[FormSection, ...]] = {}
    apps = ck.get(raw, "applications", "forms", dict, default={}) or {}
    by_number = {c.number: c for c in clauses}
    for key, spec in apps.items():
        key = str(key)
        path = f"forms.applications.{key}"
        head, _, app_type = key.partition(".")
        clause = by_number.get(int(head)) if head.isdigit() else None
        if clause is None or not clause.takes_applications:
            ck.add(path, f"键应为受理申报的条款编号或“条款编号.申报类型”：{key}")
            continue
        if bool(app_type) != bool(clause.application_types) or (app_type and app_type not in clause.application_types):
            ck.add(path, f"第{head}条的申报表应按申报类型分别列出：{'、'.join(f'{head}.{t}' for t in clause.application_types) or head}")
        if not isinstance(spec, dict):
            ck.add(path, "应为映射")
            continue
        chosen, keys, names = [], set(), set()
        for j, sid in enumerate(ck.seq(spec, "sections", path)):
            sec = sections.get(str(sid))
            if sec is None:
                ck.add(f"{path}.sections[{j}]", f"没有名为 {sid} 的栏目（forms.sections）")
                continue
            if sec.key in keys:
                ck.add(f"{path}.sections[{j}]", f"栏目地址 {sec.key} 重复")
            keys.add(sec.key)
            for q in sec.questions:
                if q.name in names:
                    ck.add(f"{path}.sections[{j}]", f"问题 {q.name} 在本申报表中出现两次")
                names.add(q.name)
            chosen.append(sec)
        helps = ck.get(spec, "help", path, dict, required=False, default={})
        for name in helps:
            if str(name) not in names:
                ck.add(f"{path}.help.{name}", f"本申报表没有问题 {name}")
        if helps:
            chosen = [dataclasses.replace(sec, questions=tuple(
                dataclasses.replace(q, help=_texts(ck, helps[q.name], f"{path}.help.{q.name}")) if q.name in helps else q
                for q in sec.questions)) for sec in chosen]
        out[key] = tuple(chosen)
    for c in clauses:
        if c.takes_applications:
            for key in ([f"{c.number}.{t}" for t in c.application_types] or [str(c.number)]):
                if key not in out and key not in apps:
                    ck.add("forms.applications", f"缺少申报表：{key}")
        if c.type_fact:
            spec = vocabulary.given.get(c.type_fact)
            if spec is None or spec.type != "enum" or set(c.application_types) - set(spec.choices):
                ck.add(f"clauses[{clauses.index(c)}].application_type_fact",
                       f"{c.type_fact} 应为取值包含 {'、'.join(c.application_types)} 的 enum 事实")
    return out


def _material(ck: "_Checker", it: dict, path: str, rules_of: tuple[str, ...]) -> Material:
    """One material slot; `required` and `confirmed` are stated explicitly, never assumed."""
    required = ck.get(it, "required", path, bool, default=True)
    confirmed = ck.get(it, "confirmed", path, bool, default=False)
    sentence = it.get("sentence")
    source = ck.get(it, "source", path, str, required=False, default="")
    if confirmed and not sentence and not source:
        ck.add(f"{path}.confirmed", "已确认的材料须注明依据（sentence 引用通知原句，或 source 写明补充通知）")
    return Material(ck.get(it, "id", path, default=""), ck.get(it, "name", path, default=""), rules_of,
                    bool(required), bool(confirmed), str(sentence) if sentence else None, source or "")


def _check_materials(ck: "_Checker", data: dict, materials: dict[str, list[Material]], clauses) -> None:
    """Slot ids are unique within what one application sees, and a slot is an applicant's upload:
    the city's paper delivery (the `delivery` section's sentence) is never a slot."""
    delivery = data.get("delivery") if isinstance(data.get("delivery"), dict) else {}
    delivery_sentence = str(delivery.get("sentence") or "")
    for key, items in materials.items():
        for j, m in enumerate(items):
            if delivery_sentence and m.sentence == delivery_sentence:
                ck.add(f"materials.{key}[{j}].sentence",
                       f"材料 {m.id} 引用的是市科技局纸质报送的要求（{delivery_sentence}），那是归口管理部门的职责，"
                       "写在 delivery 中，不是申报单位上传的材料")
    for c in clauses:
        for t in [None, *c.application_types]:
            keys = ["common", str(c.number)] + ([f"{c.number}.{t}"] if t else [])
            seen: dict[str, str] = {}
            for key in keys:
                for j, m in enumerate(materials.get(key, [])):
                    if m.id in seen and seen[m.id] != key:
                        ck.add(f"materials.{key}[{j}].id", f"材料编号 {m.id} 与 materials.{seen[m.id]} 重复")
                    seen.setdefault(m.id, key)


def _check_params(compiled: Compiled, parameters, param_now) -> None:
    from .expr import ExprError

    for p in compiled.params:
        name = p.split(".", 1)[1]
        cur = param_now(name)
        if cur is None or not cur.confirmed:
            raise ExprError(f"规则不能使用未确认的参数 {name}（只有金额公式可以，未确认时金额为 null）")


@functools.lru_cache(maxsize=1)
def default_pack() -> Pack:
    """The 2026 Anhui pack shipped with the code, loaded once per process."""
    return load_pack(DEFAULT_PACK_PATH)


def iter_problems(path: str | Path) -> Iterable[PackProblem]:
    """Every problem of a pack file (empty when it is fine): what `duixian pack check` prints."""
    try:
        load_pack(path)
    except PackError as e:
        return list(e.problems)
    return []
