"""Who may do what with the compute subsidy. Each function answers (allowed, reason).

The province (人工智能处) imports metering, runs, reviews, publishes and answers objections;
an organisation's applicant users see their own published result only. Views turn a refusal
into a 404, so nobody learns about another organisation's result.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.accounts.roles import Role

Decision = tuple[bool, str]


def _is(user, role) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and user.role == role


def can_manage_compute(user) -> Decision:
    if _is(user, Role.PROVINCE):
        return True, ""
    return False, _("只有省科技厅工作人员可以管理算力补助。")


def can_see_own_result(user) -> Decision:
    if not _is(user, Role.APPLICANT):
        return False, _("只有申报单位的用户可以查看本单位的算力补助结果。")
    org = getattr(user, "organisation", None)
    if org is None or not org.uscc:
        return False, _("您的账号尚未关联带统一社会信用代码的单位。")
    return True, ""


def can_see_result(user, result) -> Decision:
    """The province sees every result; an organisation only its own, once the run is published."""
    if can_manage_compute(user)[0]:
        return True, ""
    allowed, reason = can_see_own_result(user)
    if not allowed:
        return allowed, reason
    if result.uscc != (user.organisation.uscc or "").upper():
        return False, _("这不是本单位的算力补助结果。")
    if result.run.published_at is None:
        return False, _("该计算结果尚未发布。")
    return True, ""
