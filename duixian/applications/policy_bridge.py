"""The few things applications need from the policy pack and engine, in one place.

Applications read the pack (windows, clauses, materials, checklist) and ask the engine for a
verdict; nothing here decides policy. Keeping the calls here means a change in the pack's
Python shape touches one module, and every page, service and export sees the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from threading import Lock

from django.utils.translation import gettext_lazy as _

from duixian.core.moments import moment_text
from duixian.policy.verdict import Verdict

WEEKDAYS = "一二三四五六日"


def get_pack():
    """The default batch's pack (policy.active.current_pack), for pages that belong to no
    application; an application is judged by its own batch's pack: `application_pack(app)`."""
    from duixian.policy.active import current_pack

    return current_pack()


def batch_pack(batch_id: str):
    """The pack in force for one batch (policy.active.pack_of)."""
    from duixian.policy.active import pack_of

    return pack_of(batch_id)


def batches():
    """Every batch's pack in force (policy.active.batches)."""
    from duixian.policy.active import batches as all_batches

    return all_batches()


def application_pack(app):
    """The pack an application (or anything carrying `batch_id`) is judged by: its batch's."""
    return batch_pack(app.batch_id)


def pack_digest(pack=None) -> str:
    """Which exact pack text a verdict was computed with (sha256), beside its version."""
    pack = pack or get_pack()
    return str(_get(pack, "digest", default="") or "")


def _get(obj, *names, default=None):
    """Read the first present attribute or key: the pack's objects may be dataclasses or dicts."""
    for name in names:
        if isinstance(obj, dict):
            if name in obj and obj[name] is not None:
                return obj[name]
        else:
            value = getattr(obj, name, None)
            if value is not None:
                return value
    return default


def format_moment(moment: datetime, *, language: str | None = None) -> str:
    """2026年5月5日 23:59, or 5 May 2026, 23:59 on English pages: in Beijing time (core.moments)."""
    return moment_text(moment, language=language)


def pack_version(pack=None) -> str:
    pack = pack or get_pack()
    batch = _get(pack, "batch")
    return str(_get(pack, "version", default="") or _get(batch, "version", default="") or "")


def batch_id(pack=None) -> str:
    pack = pack or get_pack()
    batch = _get(pack, "batch")
    return str(_get(pack, "batch_id", default="") or _get(batch, "id", default="") or "")


def batch_year(pack=None) -> int:
    pack = pack or get_pack()
    batch = _get(pack, "batch")
    return int(_get(pack, "year", default=0) or _get(batch, "year", default=0) or pack.application_open.year)


# ---- clauses ---------------------------------------------------------------------------------

CN_NUMBERS = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七"}


@dataclass(frozen=True)
class ClauseChoice:
    """One way to apply in this batch: a clause, or one of its application types (the pack's)."""

    clause: str
    application_type: str
    title: str
    short_title: str
    text: str
    note: str
    name: str = ""  # the clause as the pack names it (`display.clause_name`)
    type_label: str = ""  # the application type's label in the pack, e.g. 2026年度园区创建申报

    @property
    def key(self) -> str:
        return f"{self.clause}.{self.application_type}" if self.application_type else self.clause

    @property
    def label(self) -> str:
        base = f"{self.name} {self.short_title}"
        return f"{base}（{self.type_label}）" if self.type_label else base


def _clause_obj(pack, clause):
    return pack.clause(int(clause))


# A loaded pack never changes (a new version is a new Pack object), so what is derived from it
# alone is derived once per pack object: the work list names 50 applications' clauses a page.
_DERIVED_LOCK = Lock()
_DERIVED: dict[int, tuple[object, tuple[ClauseChoice, ...], dict[tuple[str, str], ClauseChoice]]] = {}


def _derived(pack):
    entry = _DERIVED.get(id(pack))
    if entry is None or entry[0] is not pack:
        choices = tuple(_build_clause_choices(pack))
        by_key = {}
        for choice in choices:
            by_key.setdefault((choice.clause, choice.application_type), choice)
        entry = (pack, choices, by_key)
        with _DERIVED_LOCK:
            if len(_DERIVED) >= 16:  # a long-running process may see several versions: keep a few
                _DERIVED.pop(next(iter(_DERIVED)), None)
            _DERIVED[id(pack)] = entry
    return entry


def clause_choices(pack=None) -> list[ClauseChoice]:
    return list(_derived(pack or get_pack())[1])


def _build_clause_choices(pack) -> list[ClauseChoice]:
    choices = []
    for c in pack.clauses:
        kind = str(_get(c, "kind", default=""))
        if kind != "application":
            continue
        number = str(_get(c, "number"))
        title = str(_get(c, "title", default=""))
        short = str(_get(c, "short_title", default=title))
        text = str(_get(c, "text", default=""))
        note = str(_get(c, "note", default=""))
        types = _get(c, "application_types", default=None) or {}
        name = pack.clause_name(number)
        if types:
            for type_key in types:
                choices.append(ClauseChoice(number, str(type_key), title, short, text, note, name,
                                            c.type_labels.get(type_key, "")))
        else:
            choices.append(ClauseChoice(number, "", title, short, text, note, name))
    return choices


def clause_choice(clause: str, application_type: str = "", pack=None) -> ClauseChoice | None:
    return _derived(pack or get_pack())[2].get((str(clause), application_type or ""))


def clause_label(clause: str, application_type: str = "", batch_id: str = "") -> str:
    try:
        choice = clause_choice(clause, application_type, batch_pack(batch_id) if batch_id else None)
    except Exception:  # the pack failed to load: show the bare number rather than crash a list
        choice = None
    if choice:
        return choice.label
    return f"第{CN_NUMBERS.get(int(clause), clause)}条"


def clause_cell(clause: str, application_type: str = "", pack=None) -> str:
    """The 汇总表's 依据政策条款 cell in the pack's format (`summary_table.clause_cell` and its
    `type_words`), e.g. 2.促进垂类模型应用 or 5.支持产业集聚发展（绩效评价）."""
    pack = pack or get_pack()
    return pack.summary_table.cell(_clause_obj(pack, clause), application_type)


# ---- materials and checklist -----------------------------------------------------------------


@dataclass(frozen=True)
class MaterialSlot:
    """One upload slot of the pack. Only a slot that is required AND confirmed by the province
    blocks submission; an unconfirmed one is shown as 待省科技厅确认 and may stay empty."""

    id: str
    name: str
    required: bool = True
    confirmed: bool = True

    @property
    def blocking(self) -> bool:
        return self.required and self.confirmed

    @property
    def status_note(self) -> str:
        """The slot's standing in words: 必须 / 待省科技厅确认 / 可选."""
        if not self.confirmed:
            return str(_("待省科技厅确认"))
        return str(_("必须")) if self.required else str(_("可选"))

    @property
    def label(self) -> str:
        """The requirement label a clerk or an expert reads beside the file."""
        return self.name if self.confirmed else f"{self.name}（{self.status_note}）"


def material_slots(clause: str, application_type: str = "", pack=None) -> list[MaterialSlot]:
    pack = pack or get_pack()
    items = pack.materials(int(clause), application_type=application_type or None)
    slots, seen = [], set()
    for item in items:
        slot_id = str(_get(item, "id", "slot", "key"))
        if slot_id in seen:
            continue
        seen.add(slot_id)
        required = _get(item, "required", default=True)
        confirmed = _get(item, "confirmed", default=True)
        slots.append(MaterialSlot(slot_id, str(_get(item, "name", "title", "label", default=slot_id)), bool(required),
                                  bool(confirmed)))
    return slots


def delivery_duty_text(pack=None) -> str:
    """The city's paper delivery, in one sentence (HTML) built from the pack's `delivery`, citing
    the notice's sentence it names (`delivery.sentence`) when it names one. The pack's words are
    said in the page's language when the catalogue has them, else quoted as Chinese."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    from duixian.policy.display import pack_text

    pack = pack or get_pack()
    d = pack.delivery
    citation = pack.cite(d.sentence)
    words = {"copies": d.copies_text, "by": d.by, "place": d.place, "address": d.address}
    return mark_safe(conditional_escape(str(_(
        "兑现材料（加盖公章）%(copies)s由%(by)s送至%(place)s（%(address)s，联系电话：%(phone)s），"
        "%(deadline)s前%(citation)s。"))) % {
        **{key: pack_text(value) for key, value in words.items()}, "phone": conditional_escape(d.phone),
        "deadline": conditional_escape(format_moment(d.deadline)),
        "citation": conditional_escape(str(_("（%(citation)s）"))) % {"citation": pack_text(citation)}
        if citation else ""})


def cited(pack, sentence_id: str, *, language: str | None = None) -> str:
    """（通知六、（三））after words that follow a sentence of the pack; "" when none is named.
    `language`: e.g. "zh-hans" for a stored reason, else the page's."""
    from django.utils import translation

    citation = pack.cite(sentence_id)
    if not citation:
        return ""
    with translation.override(language or translation.get_language()):
        return str(_("（%(citation)s）")) % {"citation": citation}


def labelled_materials(app) -> list:
    """The application's files in the pack's slot order, each with `requirement_label` (the slot's
    requirement, e.g. 自主知识产权证明（待省科技厅确认）) and `slot_known`; files of a slot the pack no
    longer has come last under their slot id."""
    slots = material_slots(app.clause, app.application_type, application_pack(app))
    order = {s.id: n for n, s in enumerate(slots)}
    by_id = {s.id: s for s in slots}
    from duixian.applications.selectors import _materials_of  # app.materials.all(), compiled once

    files = sorted(_materials_of(app), key=lambda m: (order.get(m.slot, len(order)), m.slot, m.pk))
    for m in files:
        slot = by_id.get(m.slot)
        m.requirement_label = slot.label if slot else m.slot
        m.slot_known = slot is not None
    return files


def material_label(app, slot_id: str) -> str:
    """The requirement label of one of the application's files, from its own batch's material
    list (as labelled_materials); the slot id for a slot that batch does not have."""
    slot = next((s for s in material_slots(app.clause, app.application_type, application_pack(app))
                 if s.id == slot_id), None)
    return slot.label if slot else slot_id


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str


def checklist_items(clause: str, pack=None) -> list[ChecklistItem]:
    pack = pack or get_pack()
    return [ChecklistItem(str(_get(i, "id")), str(_get(i, "text", "name", default=""))) for i in pack.checklist(int(clause))]


# ---- the verdict -----------------------------------------------------------------------------


# Laid over the facts before the engine reads them: the registries (issue 11) register theirs in
# RegistriesConfig.ready() (a registry hit overrides the answer; the verdict names the source
# row), so applications does not import registries (docs/decisions/0002).
_FACT_OVERLAYS: list = []


def register_fact_overlay(overlay) -> None:
    """`overlay(clause, facts, pack)` -> (facts to evaluate, annotate(verdict) -> verdict)."""
    if overlay not in _FACT_OVERLAYS:
        _FACT_OVERLAYS.append(overlay)


def evaluate_facts(clause: str, facts: dict, pack=None) -> Verdict:
    """The engine's verdict on these facts, with the registered overlays (the registries) laid
    over them; an input the engine refuses becomes a Status.ERROR verdict.

    Forms save partial answers, so a refusal (e.g. a half-typed value) must not break the page.
    """
    from duixian.policy.engine import evaluate

    pack = pack or get_pack()
    annotations = []
    for overlay in _FACT_OVERLAYS:
        facts, annotate = overlay(clause, facts, pack)
        annotations.append(annotate)
    try:
        verdict = evaluate(pack, int(clause), facts)
    except ValueError as exc:  # PolicyInputError is a ValueError
        return Verdict.refused(clause, _refusal_words(exc), getattr(exc, "field", ""))
    for annotate in annotations:
        verdict = annotate(verdict)
    return verdict


def _refusal_words(exc: Exception) -> str:
    """The engine's refusal as people read it (labels, not fact keys; the key stays in `field`)."""
    return exc.for_people() if hasattr(exc, "for_people") else getattr(exc, "message", str(exc))
