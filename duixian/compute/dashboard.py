"""Dashboard links: the province's compute page; an organisation's own published result."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian.accounts import authz


def dashboard_links(user) -> list[dict]:
    if authz.check(user, "compute.manage"):
        from .models import ObjectionStatus, SubsidyObjection

        open_count = SubsidyObjection.objects.filter(status=ObjectionStatus.OPEN).count()
        label = _("算力补助（免申即享）：导入计量数据、计算、发布")
        if open_count:
            label += _("（%(n)s 条异议待答复）") % {"n": open_count}
        return [{"url": reverse("compute:home"), "label": label}]
    if authz.check(user, "compute.own_result"):
        from .engine import format_decimal
        from .selectors import subsidy_result_for_organisation

        result = subsidy_result_for_organisation(user.organisation)
        if result is None:
            return []
        state = result.get_response_display() if result.response else _("请确认或提出异议")
        return [{"url": reverse("compute:mine"),
                 "label": _("算力补助（免申即享）结果：算力补助量 %(quantity)s 卡时（%(state)s）") % {
                     "quantity": format_decimal(result.subsidy_quantity), "state": state}}]
    return []
