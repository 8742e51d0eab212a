"""Who may see and do what with the registries: rules of the authorization registry
(duixian.authz). Each answers a Decision (allowed, reason). An application's registry
check is guarded by application.view, like the application itself."""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.authz import ALL, OWN, Decision, allow, deny, rule
from duixian.authz.roles import Role


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


@rule("registries.manage", roles={Role.PROVINCE: ALL})
def can_manage(user) -> Decision:
    """Import, withdraw, download templates, see the obliged parks and remind them: the province."""
    if _active(user) and user.role == Role.PROVINCE:
        return allow()
    return deny(_("只有省科技厅工作人员可以管理登记册。"))


@rule("registries.findings", roles={Role.CITY_CLERK: ALL, Role.PROVINCE: ALL})
def can_see_findings(user) -> Decision:
    """The list of applications with registry findings: clerks (own city) and the province."""
    if _active(user) and (user.role == Role.PROVINCE or (user.role == Role.CITY_CLERK and user.city_code)):
        return allow()
    return deny(_("只有归口管理部门和省科技厅可以查看登记册核对结果。"))


@rule("registries.note", roles={Role.APPLICANT: OWN})
def can_add_note(user, application) -> Decision:
    """A note beside a registry finding: the application's own organisation's editors (经办人,
    填报人); it speaks for the organisation to the clerks, so its 查看人 is told why not."""
    if not (_active(user) and user.role == Role.APPLICANT and user.organisation_id == application.organisation_id):
        return deny(_("只有申报单位可以添加说明。"))
    from duixian.orgs.permissions import can_edit_drafts

    allowed, reason = can_edit_drafts(user, application.organisation)
    return allow() if allowed else deny(reason, hidden=False)


@rule("registries.obligations", roles={Role.APPLICANT: OWN})
def can_see_own_obligations(user) -> Decision:
    if _active(user) and user.role == Role.APPLICANT and user.organisation_id:
        return allow()
    return deny(_("只有申报单位用户可以查看本单位的绩效评价义务。"))
