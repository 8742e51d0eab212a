"""Dashboard links for the registries and the 政策沙盘, by role (same shape as orgs/dashboard.py).

A park organisation that owes this year's evaluation sees the obligation here until it submits.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian.authz.roles import Role


def dashboard_links(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    if user.role == Role.PROVINCE:
        from .selectors import obligated_parks

        missing = sum(1 for p in obligated_parks() if not p.submitted)
        return [
            {"url": reverse("registries:home"), "label": _("登记册（不重复支持、信用记录、已评审通过的园区）")},
            {"url": reverse("registries:obligations"), "label": _("须参加本年度绩效评价的园区（未提交 %(n)s）") % {"n": missing}},
            {"url": reverse("sandbox:home"), "label": _("政策沙盘（参数试算）")},
        ]
    if user.role == Role.CITY_CLERK and user.city_code:
        return [{"url": reverse("registries:findings"), "label": _("申报的登记册核对结果")}]
    if user.role == Role.APPLICANT and user.organisation_id:
        from .selectors import obligated_parks

        waiting = [p for p in obligated_parks(organisation=user.organisation) if not p.submitted]
        if waiting:
            names = _("、").join(p.entry.project_name for p in waiting)
            return [{"url": reverse("registries:my_obligations"),
                     "label": _("须参加本年度园区绩效评价（尚未提交）：%(names)s") % {"names": names}, "obligation": True}]
    return []
