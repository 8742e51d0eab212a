"""The form renderer: the project's widget templates (TemplatesSetting, issue 20), with Django's
own plain input and textarea templates written in Python (issue 22).

A clerk's review page renders about sixty widgets; through the template engine each text box,
hidden field or textarea costs an include of `input.html` and of `attrs.html`, a third of that
page's CPU. For the templates listed in `_FAST`, when the template the engine finds for the
widget, `input.html` and `attrs.html` are all Django's own, unchanged files (checked once per
process against their text below), the same HTML is written directly; any other template
(the project's `select_option.html`, or one added later under duixian/templates/django/forms/)
renders through the engine as before. A radio or checkbox choice (`{{ radio.tag }}`: the review
page's checklist has 36) is written as the project's `input_option.html` writes it, while that
file is the text below. tests/core checks the
two ways give the same bytes.
"""

from __future__ import annotations

from threading import Lock

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, escape
from django.utils.functional import Promise
from django.utils.safestring import SafeData, mark_safe

from duixian.core.templatetags.quoted import HAN, quoting, zh

_INCLUDE_INPUT = '{% include "django/forms/widgets/input.html" %}\n'
_STOCK = {
    "django/forms/widgets/input.html": (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %} '
        "value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>\n'),
    "django/forms/widgets/attrs.html": (
        "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
        "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}"),
    "django/forms/widgets/textarea.html": (
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n"),
}
_INPUTS = ("text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "checkbox",
           "search", "tel", "color")
for _name in _INPUTS:
    _STOCK[f"django/forms/widgets/{_name}.html"] = _INCLUDE_INPUT
_INCLUDE_OPTION = '{% include "django/forms/widgets/input_option.html" %}\n'
_STOCK["django/forms/widgets/radio_option.html"] = _INCLUDE_OPTION
_STOCK["django/forms/widgets/checkbox_option.html"] = _INCLUDE_OPTION
# Django's select.html and the project's own select_option.html (an option's label quoted
# lang="zh-Hans" on English pages): the clerk's work list filters by two selects of 16 options.
_STOCK["django/forms/widgets/select.html"] = (
    '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
    "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
    '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
    "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
    "  </optgroup>{% endif %}{% endfor %}\n</select>\n")
_SELECT_OPTION = "django/forms/widgets/select_option.html"
_STOCK[_SELECT_OPTION] = (
    "{% load quoted %}<option value=\"{{ widget.value|stringformat:'s' }}\""
    '{% include "django/forms/widgets/attrs.html" %}{{ widget.label|zh_lang }}>{{ widget.label }}</option>\n')
# The project's own input_option.html (a choice's label quoted lang="zh-Hans" on English pages).
_STOCK["django/forms/widgets/input_option.html"] = (
    '{% load quoted %}{% if widget.wrap_label %}<label{% if widget.attrs.id %} for="{{ widget.attrs.id }}"'
    '{% endif %}>{% endif %}{% include "django/forms/widgets/input.html" %}{% if widget.wrap_label %} '
    '{{ widget.label|zh }}</label>{% endif %}\n')


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}` with autoescaping: escaped unless it was safe already."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}" if value is True
                   else f' {conditional_escape(name)}="{_formatted(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return (f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f'{shown}{_attrs(widget["attrs"])}>')


def _textarea(widget: dict) -> str:
    value = widget["value"]
    return (f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
            f'{conditional_escape(value) if value else ""}</textarea>')


textarea_html = _textarea  # for writers of whole rows (review.checklist_html), while is_stock() says so


def _option(widget: dict) -> str | None:
    """A radio or checkbox choice (`{{ radio.tag }}`, or with its label), as input_option.html
    writes it; None (render the template) for an id the template would localize."""
    if not widget.get("wrap_label"):
        return _input(widget)
    ident = widget["attrs"].get("id")
    if ident is not None and not isinstance(ident, str):
        return None
    label_for = f' for="{conditional_escape(ident)}"' if ident else ""
    # input.html's own newline stays inside the label (the renderer strips only the outer ends)
    return f'<label{label_for}>{_input(widget)}\n {conditional_escape(zh(widget["label"]))}</label>'


def _select(widget: dict) -> str | None:
    """A select with its options (and optgroups), as select.html and the project's
    select_option.html write it; None (render the templates) for an option of another template,
    or a label or group name the template would localize (a number, a date)."""
    marks = _han_marker()
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            if not isinstance(group_name, (str, Promise)):
                return None
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            label = option["label"]
            if option.get("template_name") != _SELECT_OPTION or not isinstance(label, (str, Promise)):
                return None
            out.append(f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}'
                       f"{marks(label)}>{conditional_escape(label)}</option>\n")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _han_marker():
    """`{{ label|zh_lang }}` for the options of one select: the page's language asked once."""
    if not quoting():
        return lambda label: ""
    return lambda label: ' lang="zh-Hans"' if HAN.search(str(label)) else ""


_FAST = {name: _input for name, text in _STOCK.items() if text == _INCLUDE_INPUT}
_FAST["django/forms/widgets/textarea.html"] = _textarea
_NEEDS = {name: (name, "django/forms/widgets/input.html", "django/forms/widgets/attrs.html") for name in _FAST}
_NEEDS["django/forms/widgets/textarea.html"] = ("django/forms/widgets/textarea.html", "django/forms/widgets/attrs.html")
_FAST["django/forms/widgets/select.html"] = _select
_NEEDS["django/forms/widgets/select.html"] = (
    "django/forms/widgets/select.html", _SELECT_OPTION, "django/forms/widgets/attrs.html")
for _name in ("radio_option", "checkbox_option"):
    _FAST[f"django/forms/widgets/{_name}.html"] = _option
    _NEEDS[f"django/forms/widgets/{_name}.html"] = (
        f"django/forms/widgets/{_name}.html", "django/forms/widgets/input_option.html",
        "django/forms/widgets/input.html", "django/forms/widgets/attrs.html")


class Renderer(TemplatesSetting):
    """TemplatesSetting, with the plain inputs and the textarea written directly while their
    templates are Django's own."""

    def __init__(self):
        super().__init__()
        self._stock: dict[str, bool] = {}
        self._lock = Lock()

    def is_stock(self, template_name: str) -> bool:
        """Whether `template_name` (one of the widget templates written here) and the templates it
        includes are the text above: then the HTML written here is theirs."""
        return template_name in _NEEDS and self._is_stock(template_name)

    def _is_stock(self, template_name: str) -> bool:
        known = self._stock.get(template_name)
        if known is None:
            with self._lock:
                known = all(self._source(name) == _STOCK[name] for name in _NEEDS[template_name])
                self._stock[template_name] = known
        return known

    def _source(self, template_name: str) -> str | None:
        try:
            return self.get_template(template_name).template.source
        except Exception:  # another engine's template, or none: render the usual way
            return None

    def render(self, template_name, context, request=None):
        fast = _FAST.get(template_name)
        if fast is not None and request is None and self._is_stock(template_name):
            html = fast(context["widget"])
            if html is not None:
                return mark_safe(html)
        return super().render(template_name, context, request=request)
