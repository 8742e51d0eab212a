"""Dashboard links for an applicant's own applications."""

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian.accounts.roles import Role


def dashboard_links(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False) or user.role != Role.APPLICANT:
        return []
    return [
        {"url": reverse("applications:list"), "label": _("我的申报")},
        {"url": reverse("applications:new"), "label": _("新建申报")},
        {"url": reverse("applications:notifications"), "label": _("消息通知")},
        {"url": reverse("policy:choose"), "label": _("政策自测")},
    ]
