"""The review page's answers (申报信息（提交时）) written in Python (issue 22).

applications/_answers.html writes a row a (label, value) pair of answer_rows: through the template
engine some twenty-five rows for clause 2 cost two variable lookups, a `zh` filter (the page's
language asked each time) and the engine's escaping each, about a twelfth of the clerk's review
page. `answers_body(rows)` writes what that template's `{% for label, value in answers %}` loop
writes, byte for byte (tests/review/test_answers_html.py renders both, Chinese and English, with
markup, numbers and None in them): `{{ label }}` as the engine writes a value, `{{ value|zh }}`
as `zh` and the engine together write it. The expert's scoring page still renders the loop.
"""

from __future__ import annotations

from html import escape as html_escape

from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe

from duixian.core.templatetags.quoted import HAN, quoting, zh_for_page


def answers_body(rows) -> str:
    """The rows of applications/_answers.html's table; "" when there are none (as the loop)."""
    context = Context()  # the page's defaults: autoescape on, localization and time zone as set
    quoted = quoting()
    zh = zh_for_page()
    out = []
    for label, value in rows:
        if type(label) is str:
            label = html_escape(label)
        else:
            label = render_value_in_context(label, context)
        if type(value) is str:
            value = (f'<span lang="zh-Hans">{html_escape(value)}</span>' if quoted and HAN.search(value)
                     else html_escape(value))
        else:
            value = render_value_in_context(zh(value), context)
        out.append(f'<tr><th scope="row">{label}</th><td>{value}</td></tr>')
    return mark_safe("".join(out))
