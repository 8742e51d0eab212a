"""A section form's questions (applications/_section_form.html) written in Python (issue 22).

The template walks every field of the form through some fifteen tags and variables each: about a
millisecond of a section page's CPU for six questions. While the template is the text below
(checked once per loaded template), a form without errors is written here with the same bytes;
the widgets themselves still render through Django (BoundField.as_widget, BoundWidget.tag), so
their values, ids and attributes are Django's. Any other case (a form with errors, whose summary
the template writes, or a template changed since) renders through the engine as before.
tests/applications/test_section_html.py checks the two ways give the same bytes.
"""

from __future__ import annotations

from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

TEMPLATE = "applications/_section_form.html"

SOURCE = (
    '{% load i18n section_form %}<div id="section-form">\n'
    "{% if form.errors %}\n"
    '<div class="error-summary" role="alert" tabindex="-1">\n'
    '  <h2>{% translate "请修改以下问题" %}</h2>\n'
    "  <ul>{% for error in form.non_field_errors %}<li>{{ error }}</li>{% endfor %}\n"
    '  {% for field in form %}{% for error in field.errors %}<li><a href="#{{ field.id_for_label }}">'
    '{{ field.label }}{% translate "：" %}{{ error }}</a></li>{% endfor %}{% endfor %}</ul>\n'
    "</div>{% endif %}\n"
    '{% for field in form %}{% if not field.name|slice:"-10:" == "__not_done" %}\n'
    '<div class="field question" id="q-{{ field.name }}"{% if field.name not in form.visible_field_names %} hidden'
    '{% endif %}{% if field.field.show_when %} data-show-when="{{ field.field.show_when.0 }}" '
    'data-show-value="{{ field.field.show_when.1 }}"{% endif %}>\n'
    '  <div class="question-input">\n'
    '  {% if field.field.widget.input_type == "radio" or field.field.widget.input_type == "checkbox" %}\n'
    '    <fieldset aria-describedby="{% if field.help_text %}{{ field.auto_id }}_helptext {% endif %}'
    '{{ field.auto_id }}_error"><legend>{{ field.label }}</legend>\n'
    '    {% if field.help_text %}<span class="helptext" id="{{ field.auto_id }}_helptext">{{ field.help_text }}'
    "</span>{% endif %}\n"
    '    <ul class="errorlist" id="{{ field.auto_id }}_error" data-errors-for="{{ field.name }}"'
    "{% if not field.errors %} hidden{% endif %}>{% for e in field.errors %}<li>{{ e }}</li>{% endfor %}</ul>\n"
    '    {% for opt in field %}<label class="choice">{{ opt.tag }} {{ opt.choice_label }}</label>{% endfor %}\n'
    "    </fieldset>\n"
    "  {% else %}\n"
    '    <label for="{{ field.id_for_label }}">{{ field.label }}</label>\n'
    '    {% if field.help_text %}<span class="helptext" id="{{ field.auto_id }}_helptext">{{ field.help_text }}'
    "</span>{% endif %}\n"
    '    <ul class="errorlist" id="{{ field.auto_id }}_error" data-errors-for="{{ field.name }}"'
    "{% if not field.errors %} hidden{% endif %}>{% for e in field.errors %}<li>{{ e }}</li>{% endfor %}</ul>\n"
    "    {{ field }}\n"
    "    {% with extra=form|not_done_of:field.name %}{% if extra is not None %}<label class=\"choice\">{{ extra }} "
    "{{ extra.label }}</label>{% endif %}{% endwith %}\n"
    "  {% endif %}\n"
    "  </div>\n"
    '  {% if field.field.citation %}<p class="citation muted">{% translate "依据：" %}{{ field.field.citation }}'
    "</p>{% endif %}\n"
    "</div>\n"
    "{% endif %}{% endfor %}\n"
    "</div>\n"
)

# The loaded template objects whose source is SOURCE (the development server's reloader loads a
# changed file as a new object, which is checked again).
_checked: dict[int, tuple[object, bool]] = {}


def _stock(template) -> bool:
    known = _checked.get(id(template))
    if known is None or known[0] is not template:
        known = (template, getattr(template, "source", None) == SOURCE)
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
