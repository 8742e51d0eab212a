"""Links the dashboard shows for organisation work, by role.

"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian.authz.roles import Role
from duixian.orgs.models import OrgStatus, Organisation


def dashboard_links(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    if user.role == Role.APPLICANT and user.organisation_id:
        return [
            {"url": reverse("orgs:mine"), "label": _("本单位注册信息与授权书")},
            {"url": reverse("orgs:profile"), "label": _("单位信息（申报条件相关）")},
            {"url": reverse("orgs:people"), "label": _("单位成员与邀请")},
        ]
    if user.role == Role.CITY_CLERK:
        waiting = (Organisation.objects.filter(city_code=user.city_code, status=OrgStatus.PENDING,
                                               authority_letters__status="pending").distinct().count())
        return [{"url": reverse("orgs:review_list"), "label": _("待确认的申报单位注册（%(n)s）") % {"n": waiting}}]
    if user.role == Role.PROVINCE:
        return [{"url": reverse("orgs:review_list"), "label": _("申报单位注册确认情况（全省）")}]
    return []
