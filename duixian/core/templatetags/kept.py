"""Django's `date` filter and `url` tag for every template, each result kept for the next page
(issue 22). Installed as builtins (settings.TEMPLATES), they take the place of Django's own.

A page shows the same few moments and links again and again (the demo banner's clock minute, an
application's submission and history times, the links of its task list), and working each out
costs CPU every time: a moment's format is read character by character with month and weekday
names looked up in the catalogue (about 55 µs), a link is matched against the URL patterns
(about 30 µs). Each result depends only on what makes up the key below, so it is worked out once
per process. The memos are bounded and forgotten when a setting changes (duixian.core.memos).
"""

from __future__ import annotations

import datetime

from django import template
from django.template.defaultfilters import date as django_date
from django.template.defaulttags import URLNode, url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import conditional_escape

from duixian.core import memos

register = template.Library()

# Moments a process shows (the banner's minutes, each application's few times) x formats x languages.
_DATES = memos.text_memo(8192)
# Links x the applications and organisations of the pages a process serves lately.
_URLS = memos.text_memo(16384)


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if not isinstance(value, datetime.date):
        return django_date(value, arg)
    if arg is not None:
        arg = str(arg)  # a template's _("…") arrives lazy: translated once here, not at each use
    # Two datetimes of one zone compare equal across a clock change's repeated hour (`fold`): the
    # offset tells them apart; the zone itself is part of the key, whose names some formats show
    # (and its name: fixed-offset zones of one offset compare equal whatever their names).
    if isinstance(value, datetime.datetime):
        key = (value, value.tzinfo, value.tzname(), value.utcoffset(), value.fold, arg, translation.get_language())
    else:
        key = (value, type(value), arg, translation.get_language())
    try:
        return _DATES[key]
    except KeyError:
        return _DATES.put(key, django_date(value, arg))


class KeptURLNode(URLNode):
    """`{% url %}` whose links are kept when every argument is a number or a text (True and 1, or
    an object and its primary key, would otherwise share a key but not a link)."""

    def render(self, context):
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((name, value.resolve(context)) for name, value in self.kwargs.items())
        view_name = self.view_name.resolve(context)
        current_app = _current_app(context)
        key = None
        if all(type(v) is int or isinstance(v, str) for v in (view_name, *args, *(v for _n, v in kwargs))):
            key = (view_name, args, kwargs, current_app, get_script_prefix(), get_urlconf(),
                   translation.get_language())
        found = None if key is None else _URLS.get(key)
        if found is None:
            try:
                found = reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)
            except NoReverseMatch:
                if self.asvar is None:
                    raise
                found = ""
            else:
                if key is not None:
                    _URLS.put(key, found)
        if self.asvar:
            context[self.asvar] = found
            return ""
        return conditional_escape(found) if context.autoescape else found


def _current_app(context):
    """As Django's {% url %} finds it: the request's current_app, else its URL's namespace."""
    try:
        return context.request.current_app
    except AttributeError:
        try:
            return context.request.resolver_match.namespace
        except AttributeError:
            return None


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
