"""Dashboard link to the province's pack-version page (same shape as the other apps' providers)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian import authz


def dashboard_links(user) -> list[dict]:
    if not authz.check(user, "policy.versions"):
        return []
    from .active import current_pack

    return [{"url": reverse("policy:versions"), "label": _("政策包版本与补充通知（现行版本 %(version)s）") % {"version": current_pack().version}}]
