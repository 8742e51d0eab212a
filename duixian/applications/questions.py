"""The application form, built from the pack: sections of questions per clause, each tied to a fact.

The pack's `forms` section says which sections each clause (or clause.application type) has and,
per question, the fact it asks, its widget, words, the clause sentence it serves and when it is
asked (`show_if` / `hide_if`: a question that cannot change the verdict given the answers so far
is not asked). This module only turns that data into the objects forms and pages use, with the
pack's words translated at render time; nothing here knows a clause.

Answers are kept flat here (`scene.status`) and nested in Application.facts (CONTRACTS §2).
A few questions are Application fields rather than facts (project name, amount, contact).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable

from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy as _

from duixian.policy.pack import FORM_FIELDS, FormSection

YES_NO = (("true", _("是")), ("false", _("否")))
REMOVE = object()  # an answer cleared by the applicant
MODEL_FIELDS = FORM_FIELDS
AMOUNT = "amount_requested_wan"


@dataclass(frozen=True)
class Question:
    name: str
    kind: str  # bool | text | date | nullable_date | decimal | choice | multi | phone | region
    label: Any = ""  # empty: the fact's label, from the pack's vocabulary
    help: Any = ""
    citation: Any = ""
    choices: tuple = ()
    show_if: Callable[[dict], bool] | None = None
    required: bool = True
    fact_label: str = ""
    hidden_note: Any = ""  # what the application's pages say while the question is not asked

    @property
    def field_name(self) -> str:
        return self.name.replace(".", "__")

    @property
    def is_fact(self) -> bool:
        return self.name not in MODEL_FIELDS

    @property
    def display_label(self) -> str:
        if self.label:
            return str(self.label)
        return gettext(self.fact_label) if self.fact_label else self.name

    def visible(self, answers: dict) -> bool:
        return self.show_if is None or bool(self.show_if(answers))


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    questions: tuple[Question, ...] = field(default_factory=tuple)
    intro: str = ""

    def visible_questions(self, answers: dict) -> list[Question]:
        return [q for q in self.questions if q.visible(answers)]


@dataclass(frozen=True)
class Equals:
    """`show_if` as data: the question shows when the answer to `name` is `value`. The server
    calls it; the section page hands `name` and `value` to the browser (autosave.js), which
    shows or hides the question as soon as the answer changes, without a save."""

    name: str
    value: Any

    def __call__(self, answers: dict) -> bool:
        return answers.get(self.name) == self.value

    @property
    def form_value(self) -> str:
        """The value as the form sends it ("true"/"false" for yes/no, else its text)."""
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return str(self.value)


@dataclass(frozen=True)
class AllEqual:
    """Shown when every answer named equals its value (`show_if` with several answers), or, with
    `negate`, unless they all do (`hide_if`). Judged on the server at each save."""

    pairs: tuple[tuple[str, Any], ...]
    negate: bool = False

    def __call__(self, answers: dict) -> bool:
        hit = all(answers.get(name) == value for name, value in self.pairs)
        return not hit if self.negate else hit


def _condition(q) -> Callable[[dict], bool] | None:
    if q.show_if and q.hide_if:
        shown, hidden = _condition_of(q.show_if), AllEqual(q.hide_if, negate=True)
        return lambda answers: shown(answers) and hidden(answers)
    if q.show_if:
        return _condition_of(q.show_if)
    if q.hide_if:
        return AllEqual(q.hide_if, negate=True)
    return None


def _condition_of(pairs) -> Callable[[dict], bool]:
    return Equals(*pairs[0]) if len(pairs) == 1 else AllEqual(pairs)


def _words(texts: tuple[str, ...]):
    """Sentences translated one by one and joined (a catalogue entry per sentence)."""
    if not texts:
        return ""
    if len(texts) == 1:
        return _(texts[0])
    return format_lazy("{}" * len(texts), *(_(t) for t in texts))


@functools.lru_cache(maxsize=64)
def _sections(form: tuple[FormSection, ...], vocabulary_labels: tuple[tuple[str, str], ...]) -> tuple[Section, ...]:
    labels = dict(vocabulary_labels)
    return tuple(
        Section(sec.key, _(sec.title), tuple(
            Question(q.name, q.kind, _(q.label) if q.label else "", _words(q.help), _(q.cite) if q.cite else "",
                     tuple((v, _(w)) for v, w in q.choices), _condition(q), q.required, labels.get(q.name, ""),
                     _words(q.hidden_note))
            for q in sec.questions), _(sec.intro) if sec.intro else "")
        for sec in form
    )


def _pack(pack):
    if pack is not None:
        return pack
    from duixian.applications.policy_bridge import get_pack

    return get_pack()


def sections_for(clause: str, application_type: str = "", pack=None) -> list[Section]:
    """The question sections of an application, in task-list order (materials come after)."""
    pack = _pack(pack)
    form = pack.form(clause, application_type)
    labels = tuple((q.name, pack.facts.label(q.name)) for sec in form for q in sec.questions if q.name in pack.facts)
    return list(_sections(form, labels))


def section_by_key(clause: str, application_type: str, key: str, pack=None) -> Section | None:
    for section in sections_for(clause, application_type, pack):
        if section.key == key:
            return section
    return None


def amount_withheld(clause: str, application_type: str, answers: dict, pack=None):
    """When the form asks no amount for these answers (the pack hides it, e.g. a park that must
    take part in the evaluation without redemption), what the pages say about it; else ""."""
    for section in sections_for(clause, application_type, pack):
        for question in section.questions:
            if question.name == AMOUNT and not question.visible(answers):
                return question.hidden_note
    return ""


# ---- flat <-> nested ---------------------------------------------------------------------------


def flatten(nested: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in (nested or {}).items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def nest(flat: dict) -> dict:
    nested: dict = {}
    for name, value in flat.items():
        parts = name.split(".")
        node = nested
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return nested
