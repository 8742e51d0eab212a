"""Who may use the city review pages. Each function answers (allowed, reason).

A clerk sees only applications of their own city that were submitted at least once; anything
else answers 404 in the views, so another city's ids reveal nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.accounts.roles import Role

Decision = tuple[bool, str]


def can_use_worklist(user) -> Decision:
    if getattr(user, "is_authenticated", False) and user.role == Role.CITY_CLERK and user.city_code:
        return True, ""
    return False, _("只有归口管理部门（市科技局）的工作人员可以使用审核推荐工作台。")


def can_review_application(user, app) -> Decision:
    allowed, reason = can_use_worklist(user)
    if not allowed:
        return False, reason
    if app.city_code != user.city_code or app.first_submitted_at is None:
        return False, _("该申报不属于本市审核范围。")
    return True, ""


def can_export_city(user, city_code: str) -> Decision:
    """The city's own clerk, or the province (which receives every city's 汇总表)."""
    if not getattr(user, "is_authenticated", False):
        return False, _("请先登录。")
    if user.role == Role.PROVINCE:
        return True, ""
    if user.role == Role.CITY_CLERK and user.city_code and user.city_code == city_code:
        return True, ""
    return False, _("只能导出本市的汇总表。")
