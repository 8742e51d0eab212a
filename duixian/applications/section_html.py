"""A section form's questions (applications/_section_form.html) written in Python (issue 22).

The template walks every field of the form through some fifteen tags and variables each: about a
millisecond of a section page's CPU for six questions. While the template is the text this was
written from (its SHA-256, checked once per loaded template), a form without errors is written
here with the same bytes; the widgets still render through Django (BoundField.as_widget, BoundWidget.tag), so
their values, ids and attributes are Django's. Any other case (a form with errors, whose summary
the template writes, or a template changed since) renders through the engine as before.
tests/applications/test_section_html.py checks the two ways give the same bytes.
"""

from __future__ import annotations

import hashlib

from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

TEMPLATE = "applications/_section_form.html"

# The SHA-256 of the template this writes (tests/applications/test_section_html.py fails when the
# template changes and this writer is not brought up to date; the page renders the template meanwhile).
KNOWN_SHA256 = "0486ea76a249e1c38a0c9529a4a3d7bd52439f7c58c2bb490a4f12410518a234"

# Whether the loaded template object is the known text (the development server's reloader loads a
# changed file as a new object, which is checked again).
_checked: dict[int, tuple[object, bool]] = {}


def _stock(template) -> bool:
    known = _checked.get(id(template))
    if known is None or known[0] is not template:
        source = getattr(template, "source", "")
        known = (template, hashlib.sha256(source.encode()).hexdigest() == KNOWN_SHA256)
        _checked.clear()  # one template; a reloaded one replaces it
        _checked[id(template)] = known
    return known[1]


def _text(value) -> str:
    """`{{ value }}` with autoescaping, for the text values this template prints."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def section_form_html(form, context) -> SafeString:
    """The template's output for `form` (what `{% include TEMPLATE %}` gives in `context`)."""
    template = get_template(TEMPLATE)
    if form.errors or not _stock(template.template):
        return mark_safe(template.template.render(context))  # as {% include %} renders it
    shown = form.visible_field_names
    fields = form.fields
    out = ['<div id="section-form">\n\n']
    for bound in form:
        name = bound.name
        if name[-10:] == "__not_done":
            continue
        field = bound.field
        esc_name = _text(name)
        out.append(f'\n<div class="field question" id="q-{esc_name}"')
        if name not in shown:
            out.append(" hidden")
        show_when = getattr(field, "show_when", None)
        if show_when:
            out.append(f' data-show-when="{_text(show_when[0])}" data-show-value="{_text(show_when[1])}"')
        out.append('>\n  <div class="question-input">\n  ')
        help_text = bound.help_text
        auto_id = _text(bound.auto_id)
        label = _text(bound.label)
        help_html = (f'<span class="helptext" id="{auto_id}_helptext">{_text(help_text)}</span>'
                     if help_text else "")
        errors = (f'<ul class="errorlist" id="{auto_id}_error" data-errors-for="{esc_name}" hidden></ul>')
        if getattr(field.widget, "input_type", None) in ("radio", "checkbox"):
            described = f"{auto_id}_helptext {auto_id}_error" if help_text else f"{auto_id}_error"
            out.append(f'\n    <fieldset aria-describedby="{described}"><legend>{label}</legend>\n    {help_html}\n'
                       f"    {errors}\n    ")
            for option in bound:
                out.append(f'<label class="choice">{conditional_escape(option.tag())} '
                           f"{_text(option.choice_label)}</label>")
            out.append("\n    </fieldset>\n  ")
        else:
            out.append(f'\n    <label for="{_text(bound.id_for_label)}">{label}</label>\n    {help_html}\n'
                       f"    {errors}\n    {conditional_escape(bound)}\n    ")
            extra_name = f"{name}__not_done"
            if extra_name in fields:
                extra = form[extra_name]
                out.append(f'<label class="choice">{conditional_escape(extra)} {_text(extra.label)}</label>')
            out.append("\n  ")
        out.append("\n  </div>\n  ")
        citation = getattr(field, "citation", None)
        if citation:
            out.append(f'<p class="citation muted">{_text(gettext("依据："))}{_text(citation)}</p>')
        out.append("\n</div>\n")
    out.append("\n</div>\n")
    return mark_safe("".join(out))
