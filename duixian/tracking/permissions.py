"""Who may rate which stage of an application (好差评). Each function answers (allowed, reason)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.accounts.roles import Role
from duixian.applications.models import ApplicationState as S
from duixian.applications.permissions import can_create_application
from duixian.tracking.models import RatedStage

Decision = tuple[bool, str]

# A stage is rated once its decision has reached the organisation.
DECIDED = {
    RatedStage.CITY: {S.RECOMMENDED, S.NOT_RECOMMENDED, S.EXPIRED, S.APPROVED, S.REJECTED, S.PUBLISHED,
                      S.PARTLY_PAID, S.PAID},
    RatedStage.PROVINCE: {S.APPROVED, S.REJECTED, S.PUBLISHED, S.PARTLY_PAID, S.PAID},
}


def can_rate(user, app, stage: str) -> Decision:
    """The organisation's editors (经办人, 填报人), once per application and stage, after its decision."""
    allowed, reason = can_create_application(user)
    if not allowed or user.organisation_id != app.organisation_id:
        return False, reason or _("只有申报单位可以评价本申报的办理服务。")
    if stage not in DECIDED:
        return False, _("该环节不接受评价。")
    if app.state not in DECIDED[stage]:
        return False, _("该环节作出结果后才能评价。")
    if app.ratings.filter(stage=stage).exists():
        return False, _("您已评价过该环节，每个环节只能评价一次。")
    return True, ""


def ratable_stages(user, app) -> list[str]:
    return [stage for stage in RatedStage.values if can_rate(user, app, stage)[0]]


def can_view_ratings(user) -> Decision:
    """The ratings by city and stage are the province's alone (not the cities they rate)."""
    if getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.PROVINCE:
        return True, ""
    return False, _("只有省科技厅可以查看服务评价汇总。")
