"""Who may use the city review pages and a city's exports: rules of the authorization registry
(duixian.authz). Each answers a Decision (allowed, reason).

A clerk sees only applications of their own city that were submitted at least once; anything
else answers 404 in the views, so another city's ids reveal nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.authz import ALL, OWN, Decision, allow, deny, rule
from duixian.authz.roles import Role


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


@rule("review.worklist", roles={Role.CITY_CLERK: ALL})
def can_use_worklist(user) -> Decision:
    """The work list, its batch recommendation and the city's 汇总表 contact: the city's own clerks."""
    if _active(user) and user.role == Role.CITY_CLERK and user.city_code:
        return allow()
    return deny(_("只有归口管理部门（市科技局）的工作人员可以使用审核推荐工作台。"))


@rule("review.application", roles={Role.CITY_CLERK: OWN})
def can_review_application(user, app) -> Decision:
    """Read, check, recommend, return or not recommend one application (the workflow then says
    whether the state and the city deadline allow the action)."""
    allowed, reason = can_use_worklist(user)
    if not allowed:
        return deny(reason)
    if app.city_code != user.city_code or app.first_submitted_at is None:
        return deny(_("该申报不属于本市审核范围。"))
    return allow()


@rule("review.expired", roles={Role.CITY_CLERK: ALL, Role.PROVINCE: ALL})
def can_see_expired(user) -> Decision:
    """逾期 applications: a clerk their own city's, the province every city's."""
    if _active(user) and ((user.role == Role.CITY_CLERK and user.city_code) or user.role == Role.PROVINCE):
        return allow()
    return deny(_("无权查看。"))


@rule("exports.city", roles={Role.CITY_CLERK: OWN, Role.PROVINCE: ALL})
def can_export_city(user, city_code: str) -> Decision:
    """A city's 汇总表, 推荐函 and materials: the city's own clerk, or the province (which receives
    every city's 汇总表)."""
    if not _active(user):
        return deny(_("请先登录。"))
    if user.role == Role.PROVINCE:
        return allow()
    if user.role == Role.CITY_CLERK and user.city_code and user.city_code == city_code:
        return allow()
    return deny(_("只能导出本市的汇总表。"))
