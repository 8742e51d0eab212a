"""Dashboard links for the city review (for the lead to merge with the other apps' links)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian.authz.roles import Role


def dashboard_links(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    if user.role == Role.CITY_CLERK and user.city_code:
        from duixian.applications.models import ApplicationState
        from duixian.review.selectors import state_counts

        waiting = state_counts(user.city_code).get(ApplicationState.SUBMITTED, 0)
        return [{"url": reverse("review:worklist"), "label": _("审核推荐工作台（待审核 %(n)s 件）") % {"n": waiting}}]
    if user.role == Role.PROVINCE:
        return [{"url": reverse("review:expired"), "label": _("逾期未审核、未补正的申报（全省）")}]
    return []
