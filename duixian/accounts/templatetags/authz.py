"""The authorization registry in templates: ``{% load authz %}`` then
``{% can "application.edit" app as may_edit %}{% if may_edit %}…{% endif %}``.

The same rule a view and a service ask (duixian.authz), for the signed-in user of the
page, instead of ``{% if user.role == … %}`` conditions that can drift from the views' checks."""

from django import template

from duixian import authz

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action, obj=None):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return authz.check(user, action, obj).allowed
