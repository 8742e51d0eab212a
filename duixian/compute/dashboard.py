"""Dashboard links: the province's compute page; an organisation's own published result."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian import authz
from duixian.core import clock


def dashboard_links(user) -> list[dict]:
    if authz.check(user, "compute.manage"):
        from .models import ObjectionStatus, SubsidyObjection

        open_count = SubsidyObjection.objects.filter(status=ObjectionStatus.OPEN).count()
        label = _("算力补助（免申即享）：导入计量数据、计算、发布")
        if open_count:
            label += _("（%(n)s 条异议待答复）") % {"n": open_count}
        return [{"url": reverse("compute:home"), "label": label}]
    if authz.check(user, "compute.own_result"):
        from .selectors import subsidy_results_of_organisation

        responds = authz.check(user, "compute.respond").allowed
        return [_own_link(result, responds) for result in subsidy_results_of_organisation(user.organisation)]
    return []


def _own_link(result, responds: bool = True) -> dict:
    """The organisation's result in one batch, labelled by the batch's title."""
    from urllib.parse import urlencode

    from duixian.policy.active import pack_of

    from .engine import format_decimal
    from .selectors import compute_money

    pack = pack_of(result.run.batch_id)
    if result.response:
        state = result.get_response_display()
    elif clock.now() >= result.run.objection_deadline:  # nothing may be answered any more
        state = _("确认与异议期已结束")
    else:  # a 查看人 reads the result; its 经办人 or 填报人 answers (compute.respond)
        state = _("请确认或提出异议") if responds else _("待本单位经办人或填报人确认")
    unit = _(compute_money(pack).base_unit)  # a pack word: in the catalogue through policy.messages
    return {"url": f"{reverse('compute:mine')}?{urlencode({'batch': result.run.batch_id})}",
            "label": _("%(batch)s：算力补助（免申即享）结果，算力补助量 %(quantity)s %(unit)s（%(state)s）") % {
                "batch": pack.title, "quantity": format_decimal(result.subsidy_quantity), "unit": unit,
                "state": state}}
