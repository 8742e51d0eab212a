"""Links the signed-in dashboard shows for the province's and the experts' work.

`dashboard_links(user)` is the function; the lead merges it with the other apps' links
(see duixian/orgs/dashboard.py for the same shape).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian.authz.roles import Role


def dashboard_links(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    if user.role == Role.PROVINCE:
        return [
            {"url": reverse("decisions:dashboard"), "label": _("全省申报进度与纸质材料接收")},
            {"url": reverse("decisions:review"), "label": _("专家组、回避申报与评分表")},
            {"url": reverse("decisions:list"), "label": _("省级评审决定（含批量决定）")},
            {"url": reverse("decisions:publications"), "label": _("结果公示与异议处理")},
        ]
    if user.role == Role.EXPERT:
        from duixian.decisions.models import Assignment

        waiting = Assignment.objects.filter(expert=user, scored_at__isnull=True).count()
        return [{"url": reverse("decisions:expert_home"), "label": _("我的评审任务（待评分 %(n)s）") % {"n": waiting}}]
    return []
