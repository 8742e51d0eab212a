"""`{% load quoted %}` … `{{ value|zh }}`: Chinese words quoted on a page of any language.

Names people typed (a project, an organisation, a person), place names and the notice's own
words stay Chinese on English pages; marked `lang="zh-Hans"` they are read aloud as Chinese by a
screen reader (WCAG 3.1.2) and tests/core/test_english_pages.py knows them from untranslated
text. A value without a Han character, or on a Chinese page, is left as it is (escaped). Use it
where text goes, not in attributes.
"""

import re

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@register.filter
def zh(value):
    """The value, escaped, in <span lang="zh-Hans"> when it holds Chinese on a page that is not."""
    return zh_for_page()(value)


def zh_for_page():
    """`zh` for the many values of one page (rows written in Python): the page's language asked once."""
    return _marked if quoting() else _escaped


def quoting() -> bool:
    """Whether the page is in a language other than Chinese (Chinese text on it is quoted)."""
    return not (translation.get_language() or "").lower().startswith("zh")


def _escaped(value):
    return value if value is None else conditional_escape(value)


def _marked(value):
    if value is None:
        return value
    if not HAN.search(str(value)):
        return conditional_escape(value)
    return format_html('<span lang="zh-Hans">{}</span>', value)


@register.filter
def zh_lang(value):
    """` lang="zh-Hans"` for an element whose text is `value`, when that is quoted Chinese: for
    elements that hold text only (a select's <option>, django/forms/widgets/select_option.html)."""
    return mark_safe(' lang="zh-Hans"') if _quoted(value) else ""


@register.filter
def titled(value, fallback=""):
    """`value` for a page's <title>, where quoted Chinese cannot be marked: as it is on Chinese
    pages and when it holds no Han character, else `fallback` (an application's reference, or
    nothing: `{% with t=pack.title|titled %}{% if t %}{{ t }} · {% endif %}{% endwith %}`)."""
    return fallback if _quoted(value) else value


def _quoted(value) -> bool:
    """Chinese text on a page that is not Chinese."""
    return value is not None and quoting() and bool(HAN.search(str(value)))
