"""Who may do what in the province's work: rules of the authorization registry
(duixian.authz). Each answers a Decision (allowed, reason).

Views turn a refusal to see into a 404: an expert opening an assignment that is not theirs,
or anyone but the province opening a province page, learns nothing about it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.authz import ALL, OWN, Decision, allow, deny, rule
from duixian.authz.roles import Role


def _is(user, role) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and user.role == role


@rule("decisions.manage", roles={Role.PROVINCE: ALL})
def can_manage(user) -> Decision:
    """Dashboard, paper receipts, panels and assignments, decisions, 公示, objections, funding."""
    if _is(user, Role.PROVINCE):
        return allow()
    return deny(_("只有省科技厅工作人员可以进行此操作。"))


@rule("decisions.expert", roles={Role.EXPERT: ALL})
def can_act_as_expert(user) -> Decision:
    """The expert's own page: their assignments and 回避 declarations."""
    if _is(user, Role.EXPERT):
        return allow()
    return deny(_("只有评审专家可以进行此操作。"))


@rule("assignment.view", roles={Role.EXPERT: OWN})
def can_view_assignment(user, assignment) -> Decision:
    """An assignment and its materials: the expert it was made to (the province reads the
    application and its scores on its own pages)."""
    if _is(user, Role.EXPERT) and assignment.expert_id == user.pk:
        return allow()
    return deny(_("该评审任务未分配给您。"))


@rule("assignment.score", roles={Role.EXPERT: OWN})
def can_score(user, assignment) -> Decision:
    if not (_is(user, Role.EXPERT) and assignment.expert_id == user.pk):
        return deny(_("该评审任务未分配给您。"))
    from duixian.applications.models import ApplicationState

    if assignment.application.state != ApplicationState.RECOMMENDED:
        return deny(_("省科技厅已对该申报作出决定，评分已不能修改。"), hidden=False)
    return allow()
