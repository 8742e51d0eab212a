"""Dashboard links for platform-wide pages (announcements, the demo clock)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian.core import permissions


def dashboard_links(user) -> list[dict]:
    links = []
    if permissions.can_edit_announcements(user)[0]:
        links.append({"url": reverse("core:announcements"), "label": _("维护通知公告与常见问题")})
    if permissions.can_move_demo_clock(user)[0]:
        links.append({"url": reverse("core:demo_clock"), "label": _("调整演示时钟")})
    return links
