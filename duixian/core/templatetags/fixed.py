"""`{% load fixed %}` … `{% fixed CARE_MODE %}…{% endfixed %}`: a fragment rendered once per
language, URL prefix and listed values, then served from memory (issue 22).

Every page's chrome (the navigation, the footer's words, the language list) is the same for every
request in a language, yet it costs some thirty `{% translate %}`, `{% url %}` and `{% static %}`
lookups a page. Wrap only what depends on nothing but the language and the values named in the
tag: never a CSRF token, a user's name, the request's path or a clock. Each fragment keeps its
renderings in the compiled template (one per process, bounded) and forgets them when a setting
changes (tests that override URLs or static files) or the development server's reloader sees a
file change (a catalogue compiled anew is read again in place, without a restart).
"""

import weakref

from django import template
from django.core.signals import setting_changed
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix
from django.utils import translation

register = template.Library()

# Renderings a fragment keeps: its key space is languages x listed values, a handful in practice;
# the bound only stops a value listed by mistake (say, a user id) from growing without end.
MAX_RENDERINGS = 32

_fragments = weakref.WeakSet()


class FixedNode(template.Node):
    # A fragment holds no {% block %} (the tag refuses one: a child template's block would be
    # served from another page's rendering), so the search for blocks that every
    # {% extends %} makes through its parent template at each page need not walk the fragments,
    # most of base.html's nodes (about 20 µs a page).
    child_nodelists = ()

    def __init__(self, nodelist, varies):
        self.nodelist = nodelist
        self.varies = varies
        self.rendered = {}
        _fragments.add(self)

    def render(self, context):
        key = (translation.get_language(), get_script_prefix(), *(bool(v.resolve(context)) for v in self.varies))
        try:
            return self.rendered[key]
        except KeyError:
            pass
        output = self.nodelist.render(context)
        if len(self.rendered) < MAX_RENDERINGS:
            self.rendered[key] = output
        return output


@register.tag
def fixed(parser, token):
    """`{% fixed [value …] %}`: each value is taken as true or false (a flag such as CARE_MODE or
    user.is_authenticated), so no text of a request's can become part of the key."""
    varies = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% fixed %} cannot hold a {% block %}: a page would show another's")
    return FixedNode(nodelist, varies)


def forget_renderings(**_kwargs):
    for fragment in list(_fragments):
        fragment.rendered.clear()


setting_changed.connect(forget_renderings)

try:  # the development server's reloader: a changed .mo file is read again without a restart
    from django.utils.autoreload import file_changed

    file_changed.connect(forget_renderings, dispatch_uid="duixian.core.templatetags.fixed.forget_renderings")
except ImportError:  # pragma: no cover
    pass
