"""Who may rate which stage of an application (好差评), and who reads the ratings: rules of the
authorization registry (duixian.authz). Each answers a Decision (allowed, reason)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.authz import ALL, OWN, Decision, allow, check, deny, rule
from duixian.authz.roles import Role
from duixian.applications.models import ApplicationState as S
from duixian.applications.selectors import application_visible_to
from duixian.tracking.models import RatedStage

# A stage is rated once its decision has reached the organisation.
DECIDED = {
    RatedStage.CITY: {S.RECOMMENDED, S.NOT_RECOMMENDED, S.EXPIRED, S.APPROVED, S.REJECTED, S.PUBLISHED,
                      S.PARTLY_PAID, S.PAID},
    RatedStage.PROVINCE: {S.APPROVED, S.REJECTED, S.PUBLISHED, S.PARTLY_PAID, S.PAID},
}


@rule("tracking.rate", roles={Role.APPLICANT: OWN})
def can_rate_application(user, app) -> Decision:
    """The organisation's editors (经办人, 填报人) rate its applications; whoever else may see the
    application is told why not."""
    if not application_visible_to(user, app):
        return deny(_("您无权查看该申报。"))
    allowed, reason = check(user, "application.create")
    if not allowed or user.organisation_id != app.organisation_id:
        return deny(reason if user.organisation_id == app.organisation_id else _("只有申报单位可以评价本申报的办理服务。"),
                    hidden=False)
    return allow()


def can_rate(user, app, stage: str) -> Decision:
    """One stage: once per application and stage, after its decision."""
    decision = check(user, "tracking.rate", app)
    if not decision.allowed:
        return decision
    if stage not in DECIDED:
        return deny(_("该环节不接受评价。"), hidden=False)
    if app.state not in DECIDED[stage]:
        return deny(_("该环节作出结果后才能评价。"), hidden=False)
    if app.ratings.filter(stage=stage).exists():
        return deny(_("您已评价过该环节，每个环节只能评价一次。"), hidden=False)
    return allow()


def ratable_stages(user, app) -> list[str]:
    return [stage for stage in RatedStage.values if can_rate(user, app, stage)[0]]


@rule("tracking.ratings", roles={Role.PROVINCE: ALL})
def can_view_ratings(user) -> Decision:
    """The ratings by city and stage are the province's alone (not the cities they rate)."""
    if getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.PROVINCE:
        return allow()
    return deny(_("只有省科技厅可以查看服务评价汇总。"))
