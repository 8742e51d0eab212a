"""Dashboard links for an applicant's own applications."""

from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian.authz.roles import Role
from duixian.applications import policy_bridge
from duixian.core import clock
from duixian.policy.active import batches, open_batches


def _new_links() -> list[dict]:
    """One 新建申报 link, or with several batches one per batch taking applications now."""
    if len(batches()) == 1:
        return [{"url": reverse("applications:new"), "label": _("新建申报")}]
    return [{"url": f"{reverse('applications:new')}?batch={quote(pack.batch_id)}",
             "label": _("新建申报：%(title)s（%(close)s截止）") % {
                 "title": pack.title, "close": policy_bridge.format_moment(pack.application_close)}}
            for pack in open_batches(clock.now())]


def dashboard_links(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False) or user.role != Role.APPLICANT:
        return []
    from duixian import authz

    return [
        {"url": reverse("applications:list"), "label": _("我的申报")},
        *(_new_links() if authz.check(user, "application.create") else ()),  # not for a 查看人
        {"url": reverse("applications:notifications"), "label": _("消息通知")},
        {"url": reverse("policy:choose"), "label": _("政策自测")},
    ]
