"""The dashboard's 政策匹配 panel and the link to the member's channels."""

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian import authz
from duixian.matching.selectors import dashboard_matches, grouped


def dashboard_links(user) -> list[dict]:
    if not authz.check(user, "matching.channels"):
        return []
    return [{"url": reverse("matching:channels"), "label": _("政策匹配通知设置")}]


def dashboard_panel(user) -> dict | None:
    if not authz.check(user, "matching.view"):
        return None
    return {"template": "matching/_matches.html", "batches": grouped(dashboard_matches(user.organisation))}
