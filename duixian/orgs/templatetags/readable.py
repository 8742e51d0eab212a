"""Codes and records as a person reads them (issue 20): 340100 → 合肥市, city_clerk → its role
name, an audit detail as one "key: value" line per entry, ISO times as 2026年4月20日 10:06."""

import datetime as dt

from django import template
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from duixian.authz.roles import Role
from duixian.codes import divisions

register = template.Library()

ROLE_LABELS = dict(Role.choices)


@register.filter
def city_name(code):
    """The city's name for its division code; anything else as it is."""
    city = divisions.city_by_code(code)
    return city.name if city else code


def _readable_value(key: str, value) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if value is None or value == "":
        return "—"
    if isinstance(value, (list, tuple)):
        return "、".join(_readable_value(key, v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{_readable_value(k, v)}" for k, v in value.items())
    text = str(value)
    if text in ROLE_LABELS and ("role" in key):
        return str(ROLE_LABELS[text])
    if "city" in key and divisions.city_by_code(text):
        return divisions.city_by_code(text).name
    if len(text) >= 16 and text[4:5] == "-" and "T" in text:
        moment = parse_datetime(text)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, _("Y年n月j日 H:i"))
    if isinstance(value, dt.date):
        return formats.date_format(value, _("Y年n月j日"))
    return text


@register.filter
def detail_lines(detail) -> list[str]:
    """An audit detail (a dict) as lines "key: value", codes and times made readable."""
    if not isinstance(detail, dict):
        return [] if detail in (None, "", {}) else [str(detail)]
    return [f"{key}: {_readable_value(key, value)}" for key, value in detail.items()]
