"""The review page's checklist rows written in Python (issue 22).

Through the template engine each of the checklist's rows (nine for clause 2) costs three
`pack_text`, a blocktranslate, an outcome label, four radio subwidgets and a textarea: about a
fifth of the clerk's review page. `checklist_body(form, pack)` writes the same rows, byte for byte
what review/detail.html's loop writes (tests/review/test_checklist_html.py renders both), with
what the pack and the language make constant (each item's text, its note's label, the result
choices' labels) worked out once per loaded pack and language.

It answers None, and the template's loop renders the rows, whenever the fast path is not known
to give the same bytes: a bound form (a refused save: its values and errors come back), a widget
or renderer other than the ones below, or form widget templates other than Django's and the
project's own (duixian.core.forms_renderer checks them).
"""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from duixian.core import forms_renderer, memos
from duixian.policy.display import outcome_label, pack_text

# A long-running process may see several pack versions, in two languages.
_WORDS: memos.TextMemo = memos.text_memo(32)


def _words(pack, language: str) -> dict:
    """What the page writes for the pack's checklist items in `language`, built as rows ask."""
    key = (id(pack), language)
    entry = _WORDS.get(key)
    if entry is None or entry[0] is not pack:
        entry = (pack, {"manual": conditional_escape(gettext("人工核对")), "outcomes": {}, "items": {}, "choices": {},
                          "rows": {}})
        _WORDS.put(key, entry)
    return entry[1]


def _item(words: dict, text: str) -> tuple[str, str]:
    """(the item's text as HTML, its note's label as HTML)."""
    known = words["items"].get(text)
    if known is None:
        shown = pack_text(text)
        known = words["items"][text] = (shown, gettext("%(item)s：说明") % {"item": shown})
    return known


def _outcome(words: dict, outcome) -> str:
    known = words["outcomes"].get(outcome)
    if known is None:
        known = words["outcomes"][outcome] = conditional_escape(outcome_label(outcome))
    return known


def _fast(form) -> bool:
    renderer = form.renderer
    if form.is_bound or type(renderer) is not forms_renderer.Renderer:
        return False
    if not isinstance(form.auto_id, str) or "%s" not in form.auto_id:
        return False
    return (renderer.is_stock("django/forms/widgets/radio_option.html")
            and renderer.is_stock("django/forms/widgets/textarea.html"))


def checklist_body(form, pack) -> SafeString | None:
    """The rows of `form` (a review.forms.ChecklistForm) as review/detail.html writes them; None
    when the template must write them."""
    if not _fast(form):
        return None
    words = _words(pack, get_language() or "")
    out = []
    for row in form.rows:
        result_name, note_name = f"result_{row.id}", f"note_{row.id}"
        result, note = form.fields[result_name], form.fields[note_name]
        if type(result.widget) is not forms.RadioSelect or type(note.widget) is not forms.Textarea:
            return None
        if result.widget.attrs or result.disabled or result.required or note.disabled or note.required:
            return None
        parts = _row_parts(form, row, result, note, words)
        if parts is None:
            return None
        head, legend, radios, note_open = parts
        outcome = row.system_outcome
        shown = (f'<span class="tag outcome-{conditional_escape(outcome)}">{_outcome(words, outcome)}</span>'
                 if outcome else f'<span class="muted">{words["manual"]}</span>')
        chosen = tuple(result.widget.format_value(result.prepare_value(form.get_initial_for_field(result, result_name))))
        written = radios.get(chosen)
        if written is None:
            written = radios[chosen] = _radios(form, result_name, result, words, chosen)
            if written is None:
                return None
        value = note.widget.format_value(note.prepare_value(form.get_initial_for_field(note, note_name)))
        out.append(f'{head}{shown}{legend}{written}{note_open}{conditional_escape(value) if value else ""}'
                   f'</textarea></td></tr>')
    return mark_safe("".join(out))


def _row_parts(form, row, result, note, words: dict) -> tuple | None:
    """What a row writes whatever its results: (up to the outcome, from it to the radios, the
    radios by the chosen value (filled as asked), the note's label and the textarea's opening)."""
    key = (row.id, row.text, form.prefix, form.auto_id, tuple(note.widget.attrs.items()),
           tuple(value for value, _label in result.choices))
    parts = words["rows"].get(key)
    if parts is None:
        text, note_label = _item(words, row.text)
        note_id = form.auto_id % form.add_prefix(f"note_{row.id}")
        empty = forms_renderer.textarea_html({
            "name": form.add_prefix(f"note_{row.id}"), "value": None, "attrs": {**note.widget.attrs, "id": note_id}})
        if not empty.endswith("</textarea>"):
            return None
        parts = words["rows"][key] = (
            f'<tr id="item-{conditional_escape(row.id)}">\n      <td>{text}</td>\n      <td>',
            f'</td>\n      <td><fieldset><legend class="visually-hidden">{text}</legend>\n        ', {},
            f'</fieldset>\n        <label class="visually-hidden" for="{conditional_escape(note_id)}">{note_label}</label>'
            f'{empty.removesuffix("</textarea>")}')
    return parts


def _radios(form, name: str, field, words: dict, chosen: tuple) -> str | None:
    html_name = form.add_prefix(name)
    base_id = form.auto_id % html_name
    labels = words["choices"]
    out = []
    for index, (value, label) in enumerate(field.choices):
        if isinstance(label, (list, tuple)):  # option groups: the template's way
            return None
        if value is None:  # no value attribute: the template's way
            return None
        value = str(value)
        shown = labels.get(value)
        if shown is None:
            shown = labels[value] = conditional_escape(label)
        ident = f"{base_id}_{index}"
        checked = " checked" if value in chosen else ""
        out.append(f'<label class="choice" for="{escape(ident)}"><input type="radio" name="{escape(html_name)}" '
                   f'value="{escape(value)}" id="{escape(ident)}"{checked}> {shown}</label>')
    return "".join(out)


_FIELDS: memos.TextMemo = memos.text_memo(1024)


def return_fields_body(form) -> SafeString | None:
    """The 退回补正 form's fields (one reason per checklist item, and 其他) as review/detail.html's
    `{% for field in return_form.visible_fields %}` loop writes them; None (the loop writes them)
    for a bound form, whose errors and posted values come back. A plain optional textarea is
    written from its label and opening worked out once per language; any other field as Django
    renders it."""
    if form.is_bound:
        return None
    fast = _fast(form)
    language = get_language() or ""
    out = []
    for field in form.visible_fields():
        plain = field.field
        if (fast and type(plain.widget) is forms.Textarea and not plain.required and not plain.disabled
                and not plain.help_text and "id" not in plain.widget.attrs):
            key = (language, field.html_name, field.auto_id, str(field.label), tuple(plain.widget.attrs.items()))
            head = _FIELDS.get(key)
            if head is None:
                empty = forms_renderer.textarea_html({"name": field.html_name, "value": None,
                                                      "attrs": {**plain.widget.attrs, "id": field.auto_id}})
                head = (f'\n      <label for="{conditional_escape(field.id_for_label)}">{conditional_escape(field.label)}'
                        f'</label>\n      \n      \n      {empty.removesuffix("</textarea>")}')
                _FIELDS.put(key, head)
            value = plain.widget.format_value(field.value())
            out.append(f'{head}{conditional_escape(value) if value else ""}</textarea>\n    ')
            continue
        helptext = (f'<span class="helptext" id="{conditional_escape(field.auto_id)}_helptext">'
                    f'{conditional_escape(field.help_text)}</span>' if field.help_text else "")
        out.append(f'\n      <label for="{conditional_escape(field.id_for_label)}">{conditional_escape(field.label)}'
                   f'</label>\n      {helptext}\n      \n      {conditional_escape(field)}\n    ')
    return mark_safe("".join(out))
