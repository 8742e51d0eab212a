"""Who may see and do what with the registries. Each function answers (allowed, reason)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.accounts.roles import Role

Decision = tuple[bool, str]


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def can_manage(user) -> Decision:
    """Import, withdraw, download templates, see the obliged parks and remind them: the province."""
    if _active(user) and user.role == Role.PROVINCE:
        return True, ""
    return False, _("只有省科技厅工作人员可以管理登记册。")


def can_see_findings(user) -> Decision:
    """The list of applications with registry findings: clerks (own city) and the province."""
    if _active(user) and (user.role == Role.PROVINCE or (user.role == Role.CITY_CLERK and user.city_code)):
        return True, ""
    return False, _("只有归口管理部门和省科技厅可以查看登记册核对结果。")


def can_view_application(user, application) -> Decision:
    if not _active(user):
        return False, _("请先登录。")
    if user.role == Role.APPLICANT and user.organisation_id == application.organisation_id:
        return True, ""
    if application.first_submitted_at is not None:
        if user.role == Role.PROVINCE:
            return True, ""
        if user.role == Role.CITY_CLERK and user.city_code == application.city_code:
            return True, ""
    return False, _("无权查看该申报。")


def can_add_note(user, application) -> Decision:
    if _active(user) and user.role == Role.APPLICANT and user.organisation_id == application.organisation_id:
        return True, ""
    return False, _("只有申报单位可以添加说明。")


def can_see_own_obligations(user) -> Decision:
    if _active(user) and user.role == Role.APPLICANT and user.organisation_id:
        return True, ""
    return False, _("只有申报单位用户可以查看本单位的绩效评价义务。")
