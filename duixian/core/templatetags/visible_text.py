"""`{% load visible_text %}` … `{{ value|visible_controls }}`: control characters shown as escapes.

Text typed by outsiders (a failed login's username, a path) may hold ESC, NUL and the like; on
a page they would be invisible, so an auditor would not see what was really typed.
"""

from django import template

from duixian.core.spreadsheets import visible_controls as _visible

register = template.Library()


@register.filter
def visible_controls(value):
    """The value as text with C0 control characters (except tab and line breaks) as \\xNN."""
    if value is None:
        return value
    return _visible(str(value))
