"""The two tables of 确认信息 (the answers, section by section, and the materials) and the status
page's list of submitted files, written here instead of through the template engine (issue 22:
some 25 rows, each with a label, a value, a link and translated words, were most of 确认信息's
template work).

Byte for byte what the template's loops wrote (tests/applications/test_pinned_pages.py pins the
page in Chinese and English, with hostile answers and file names): values go through the same
`zh` filter, everything else escaped as the template escaped it; the words are translated and the
URLs reversed once per page.
"""

from __future__ import annotations

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from duixian.core import memos
from duixian.core.templatetags.quoted import zh_for_page
from duixian.policy.display import pack_text

# What a table writes the same for every application of a pack in one language (issue 22): a
# section's heading, each question's label and link, each material slot's label and words, and
# the links around the application's number. Keyed by the language, the URL prefix and URL conf;
# a section by the object itself (kept in the entry, so that its id is not another's meanwhile:
# the pack's sections are made once per pack and form, questions.sections_for), a slot by what
# it is made of. Forgotten with the other memos (a setting changed, a catalogue read again).
_SECTIONS = memos.text_memo(512)
_SLOTS = memos.text_memo(1024)


def _page_key() -> tuple:
    return (translation.get_language(), get_script_prefix(), get_urlconf())


# An answer as the table says it, for the kinds whose words come from the catalogue or a format
# (yes/no, a choice, several, a date, a region, an amount), per question, value and language.
_SHOWN = memos.text_memo(8192)
_KEPT_KINDS = frozenset({"bool", "choice", "multi", "date", "nullable_date", "region", "decimal"})


def answer_text(question, answers: dict, display) -> str:
    """`display(question, answers)` (the view's words for an answer), kept for the kinds above:
    keyed by the question itself (kept in the entry, as a section), the value's type and repr
    (24 and 24.00 print apart), the language and `display` (another caller's words are its own);
    text answers are shown as they are, not kept."""
    if question.kind not in _KEPT_KINDS or question.name not in answers:
        return display(question, answers)
    value = answers[question.name]
    key = (id(question), display, type(value), repr(value), translation.get_language())
    found = _SHOWN.get(key)
    if found is not None and found[0] is question:
        return found[1]
    return _SHOWN.put(key, (question, display(question, answers)))[1]


def _section_parts(sec, page_key: tuple):
    """(sec, opening, url head, {id(question): (row start, row end after the number)})."""
    key = (id(sec), *page_key)
    found = _SECTIONS.get(key)
    if found is not None and found[0] is sec:
        return found
    change = esc(gettext("修改"))
    head, _mark, tail = reverse("applications:section", args=[_PK, sec.key]).partition(str(_PK))
    head, tail = esc(head), esc(tail)
    rows = {}
    for question in sec.questions:
        label = esc(question.display_label)
        rows[id(question)] = (f'<tr><th scope="row">{label}</th><td>',
                              f'{tail}#q-{esc(question.field_name)}">{change}<span class="visually-hidden"> '
                              f'{label}</span></a></td></tr>')
    opening = f'\n<h2>{esc(sec.title)}</h2>\n\n<div class="table-scroll"><table class="check-answers">\n  '
    return _SECTIONS.put(key, (sec, opening, head, rows))


def answer_tables(app, sections) -> SafeString:
    """`sections`: (section, [(question, value shown), …]) in task-list order; each question one of
    its section's own."""
    page_key = _page_key()
    zh = zh_for_page()
    pk = str(app.pk)
    out = []
    for sec, rows in sections:
        _sec, opening, head, parts = _section_parts(sec, page_key)
        out.append(opening)
        link = f'</td>\n    <td><a href="{head}{pk}'
        for question, value in rows:
            start, end = parts[id(question)]
            out.append(f"{start}{esc(zh(value))}{link}{end}")
        out.append("\n</table></div>\n")
    return mark_safe("".join(out))


def _slot_parts(slot, page_key: tuple) -> tuple[str, str, str, str]:
    """(row start, what the row says while no file is held, row end after the number, the link
    before the number)."""
    key = (slot.id, slot.name, slot.required, slot.confirmed, *page_key)
    found = _SLOTS.get(key)
    if found is None:
        change, missing, optional = (esc(gettext(w)) for w in ("修改", "未上传", "不影响提交"))
        head, _mark, tail = reverse("applications:materials", args=[_PK]).partition(str(_PK))
        if slot.blocking:
            held = f'<span class="tag bad">{missing}</span>'
        else:
            held = f'<span class="tag">{missing}</span> <span class="muted">{optional}</span>'
        found = _SLOTS.put(key, (f'<tr><th scope="row">{pack_text(slot.label)}</th><td>', held,
                                 f'{esc(tail)}#slot-{esc(slot.id)}">{change}</a></td></tr>', esc(head)))
    return found


def material_table(app, slots) -> SafeString:
    """`slots`: the application's material slot states (selectors.material_states)."""
    page_key = _page_key()
    pk = str(app.pk)
    out = ['\n<div class="table-scroll"><table class="check-answers">\n  ']
    for s in slots:
        start, missing, end, head = _slot_parts(s.slot, page_key)
        held = esc(s.material.original_name) if s.material else missing
        out.append(f'{start}{held}</td>\n  <td><a href="{head}{pk}{end}')
    out.append("\n</table></div>")
    return mark_safe("".join(out))


# The submit form's fields while it is unbound (确认信息 opened, not sent): the two hidden inputs
# around the page's token, and the declaration's box and words, per form, initial values and
# language (the widgets rendered once through the form renderer, as the template did).
_SUBMIT = memos.text_memo(64)
_TOKEN = "zz-submit-token-zz"


def submit_fields(form) -> dict | None:
    """{"hidden": the token's and expected state's inputs, "declaration": the box and its label},
    the bytes `{{ form.token }}{{ form.expected_state }}` and `{{ form.declaration }}
    {{ form.declaration.label }}` write for this unbound form; None for a bound one (a press sent
    back with errors renders through the form itself)."""
    if form.is_bound:
        return None
    initial = tuple(sorted((name, str(value)) for name, value in form.initial.items() if name != "token"))
    key = (type(form), initial, translation.get_language())
    found = _SUBMIT.get(key)
    if found is None:
        stand_in = type(form)(initial={**dict(initial), "token": _TOKEN})
        hidden = f"{stand_in['token']}{stand_in['expected_state']}"
        head, _mark, tail = hidden.partition(_TOKEN)
        declaration = stand_in["declaration"]
        found = _SUBMIT.put(key, (head, tail, mark_safe(f"{declaration} {esc(declaration.label)}")))
    head, tail, declaration = found
    return {"hidden": mark_safe(f"{head}{esc(form.initial['token'])}{tail}"), "declaration": declaration}


def material_links(app, materials) -> SafeString:
    """The status page's 已提交材料: each file under its requirement's label, linked for download
    (`materials`: policy_bridge.labelled_materials)."""
    colon = esc(gettext("："))
    head, _mark, tail = reverse("applications:material_download", args=[app.pk, _PK]).rpartition(str(_PK))
    head, tail = esc(head), esc(tail)
    return mark_safe("".join(f'<li>{pack_text(m.requirement_label)}{colon}<a href="{head}{m.pk}{tail}">'
                             f'{esc(m.original_name)}</a></li>' for m in materials))


_PK = 987654321  # a stand-in reversed once, then replaced by each file's own
