"""Who may do what in the province's work. Each function answers (allowed, reason).

Views turn a refusal to see into a 404: an expert opening an assignment that is not theirs,
or anyone but the province opening a province page, learns nothing about it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.accounts.roles import Role

Decision = tuple[bool, str]


def _is(user, role) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and user.role == role


def can_manage(user) -> Decision:
    """Dashboard, paper receipts, panels and assignments, decisions, 公示, objections, funding."""
    if _is(user, Role.PROVINCE):
        return True, ""
    return False, _("只有省科技厅工作人员可以进行此操作。")


def can_act_as_expert(user) -> Decision:
    if _is(user, Role.EXPERT):
        return True, ""
    return False, _("只有评审专家可以进行此操作。")


def can_view_assignment(user, assignment) -> Decision:
    if _is(user, Role.EXPERT) and assignment.expert_id == user.pk:
        return True, ""
    if _is(user, Role.PROVINCE):
        return True, ""
    return False, _("该评审任务未分配给您。")


def can_score(user, assignment) -> Decision:
    if not (_is(user, Role.EXPERT) and assignment.expert_id == user.pk):
        return False, _("该评审任务未分配给您。")
    from duixian.applications.models import ApplicationState

    if assignment.application.state != ApplicationState.RECOMMENDED:
        return False, _("省科技厅已对该申报作出决定，评分已不能修改。")
    return True, ""
