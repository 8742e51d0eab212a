"""The dashboard's 政策匹配 panel and the link to the member's channels."""

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian.matching.permissions import can_set_channels, can_view_matches
from duixian.matching.selectors import dashboard_matches, grouped


def dashboard_links(user) -> list[dict]:
    if not can_set_channels(user)[0]:
        return []
    return [{"url": reverse("matching:channels"), "label": _("政策匹配通知设置")}]


def dashboard_panel(user) -> dict | None:
    organisation_id = getattr(user, "organisation_id", None)
    if not can_view_matches(user, organisation_id)[0]:
        return None
    return {"template": "matching/_matches.html", "batches": grouped(dashboard_matches(user.organisation))}
