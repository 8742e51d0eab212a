"""Dashboard links for platform-wide pages (announcements, the demo clock)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian import authz
from duixian.core import clock


def dashboard_links(user) -> list[dict]:
    links = []
    if authz.check(user, "core.announcements"):
        links.append({"url": reverse("core:announcements"), "label": _("维护通知公告与常见问题")})
    if clock.demo_enabled() and authz.check(user, "core.demo_clock"):
        links.append({"url": reverse("core:demo_clock"), "label": _("调整演示时钟")})
    return links
