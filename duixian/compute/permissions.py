"""Who may do what with the compute subsidy: rules of the authorization registry
(duixian.authz). Each answers a Decision (allowed, reason).

The province (人工智能处) imports metering, runs, reviews, publishes and answers objections;
an organisation's applicant users see their own published result only. Views turn a refusal
into a 404, so nobody learns about another organisation's result.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.authz import ALL, OWN, Decision, allow, deny, rule
from duixian.authz.roles import Role


def _is(user, role) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and user.role == role


@rule("compute.manage", roles={Role.PROVINCE: ALL})
def can_manage_compute(user) -> Decision:
    """Import metering, run, review, publish, answer objections: the province."""
    if _is(user, Role.PROVINCE):
        return allow()
    return deny(_("只有省科技厅工作人员可以管理算力补助。"))


@rule("compute.own_result", roles={Role.APPLICANT: OWN})
def can_see_own_result(user) -> Decision:
    """The signed-in organisation's own published result (and confirming or objecting to it)."""
    if not _is(user, Role.APPLICANT):
        return deny(_("只有申报单位的用户可以查看本单位的算力补助结果。"))
    org = getattr(user, "organisation", None)
    if org is None or not org.uscc:
        return deny(_("您的账号尚未关联带统一社会信用代码的单位。"))
    return allow()


@rule("compute.respond", roles={Role.APPLICANT: OWN})
def can_respond(user) -> Decision:
    """Confirm or object to the organisation's own result: it speaks for the organisation (and
    an answer cannot be taken back), so its editors (经办人, 填报人), not its read-only 查看人,
    who is told why (403)."""
    seen = can_see_own_result(user)
    if not seen.allowed:
        return seen
    from duixian.orgs.models import OrgRole
    from duixian.orgs.permissions import member_role

    role = member_role(user)
    if role in (OrgRole.MANAGER, OrgRole.EDITOR):
        return allow()
    if role is None:
        return deny(_("只有申报单位的用户可以查看本单位的算力补助结果。"))
    return deny(_("您在本单位的角色为查看人，只能查看算力补助结果，不能确认或提出异议；如需回复请联系本单位经办人。"),
                hidden=False)


def can_see_result(user, result) -> Decision:
    """The province sees every result; an organisation only its own, once the run is published."""
    if can_manage_compute(user).allowed:
        return allow()
    allowed, reason = can_see_own_result(user)
    if not allowed:
        return deny(reason)
    if result.uscc != (user.organisation.uscc or "").upper():
        return deny(_("这不是本单位的算力补助结果。"))
    if result.run.published_at is None:
        return deny(_("该计算结果尚未发布。"))
    return allow()


@rule("compute.objection", roles={Role.PROVINCE: ALL, Role.APPLICANT: OWN})
def can_see_objection(user, objection) -> Decision:
    """An objection and its attachment: the province, or the organisation whose result it is."""
    return can_see_result(user, objection.result)
