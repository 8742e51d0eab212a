"""Who may see and do what with an organisation: the rules of the authorization registry
(duixian.authz) and the helpers they share. Each rule answers a Decision (allowed, reason).

Visibility: an organisation's people, the clerks of its city and the province; anyone else gets
a 404 from the views (organisation.view). The pages of one's own organisation (/orgs/mine/…) take
no id: their rules read the signed-in member's organisation.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.authz import ALL, OWN, allow, deny, rule
from duixian.authz.roles import Role
from duixian.orgs.models import LetterStatus, OrgKind, OrgMembership, OrgRole, OrgStatus, Organisation

Decision = tuple[bool, str]


def member_role(user) -> str | None:
    """The user's role inside their organisation, or None when they are not an active member.

    Accounts made before memberships existed (demo data, older fixtures) have no row: such an
    account counts as the 经办人 when the organisation has no active manager, else as 填报人.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.role != Role.APPLICANT:
        return None
    if user.organisation_id is None:
        return None
    try:
        membership = user.membership
    except OrgMembership.DoesNotExist:
        has_manager = OrgMembership.objects.filter(
            organisation_id=user.organisation_id, role=OrgRole.MANAGER, active=True
        ).exists()
        return OrgRole.EDITOR if has_manager else OrgRole.MANAGER
    if not membership.active or membership.organisation_id != user.organisation_id:
        return None
    return membership.role


def is_member(user, org: Organisation) -> bool:
    return is_member_of(user, org.pk)


def is_member_of(user, organisation_id) -> bool:
    """An active member of the organisation with this id (any role, viewers included)."""
    return bool(organisation_id) and member_role(user) is not None and user.organisation_id == organisation_id


def is_city_clerk_of(user, org: Organisation) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.role == Role.CITY_CLERK
        and bool(org.city_code)
        and user.city_code == org.city_code
    )


SEEN = {Role.APPLICANT: OWN, Role.CITY_CLERK: OWN, Role.PROVINCE: ALL}
MEMBERS = {Role.APPLICANT: OWN}
CLERK_OF_ITS_CITY = {Role.CITY_CLERK: OWN}


@rule("organisation.view", roles=SEEN)
def can_view_organisation(user, org: Organisation) -> Decision:
    if is_member(user, org):
        return allow()
    if is_city_clerk_of(user, org):
        return allow()
    if getattr(user, "is_authenticated", False) and user.role == Role.PROVINCE:
        return allow()
    return deny(_("您无权查看该单位的信息。"))


@rule("organisation.letter", roles=SEEN)
def can_view_letter(user, letter) -> Decision:
    """The 授权书 itself: whoever may see its organisation."""
    return can_view_organisation(user, letter.organisation)


@rule("organisation.own", roles=MEMBERS)
def can_open_own(user) -> Decision:
    """The pages of one's own organisation: its active members."""
    if member_role(user) is not None:
        return allow()
    return deny(_("没有所属单位。"))


@rule("organisation.people", roles=MEMBERS)
def can_manage_people(user, obj=None) -> Decision:
    """Invite, remove, change a member's role, revoke an invitation: the organisation's 经办人.
    `obj` is the organisation, one of its members or invitations, or None (one's own)."""
    if obj is None:
        org = getattr(user, "organisation", None)
    else:
        org = obj if isinstance(obj, Organisation) else obj.organisation
    if org is not None and is_member(user, org) and member_role(user) == OrgRole.MANAGER:
        return allow()
    return deny(_("只有本单位经办人可以邀请或移除成员。"))


@rule("organisation.city", roles=MEMBERS)
def can_change_city(user) -> Decision:
    """Choose another city for one's own organisation (before it is confirmed): the 经办人."""
    if member_role(user) == OrgRole.MANAGER:
        return allow()
    return deny(_("只有本单位经办人可以更改所在地市。"))


def _role_in(user, org: Organisation) -> str | None:
    """The user's role in `org`, or None when not an active member of it (one lookup)."""
    if getattr(user, "organisation_id", None) != org.pk:
        return None
    return member_role(user)


@rule("organisation.profile_edit", roles=MEMBERS)
def can_edit_profile(user, org: Organisation) -> Decision:
    """Change the organisation's profile (/orgs/mine/profile/): its editors (经办人, 填报人); its
    查看人 reads the page and is told why not."""
    role = _role_in(user, org)
    if role in (OrgRole.MANAGER, OrgRole.EDITOR):
        return allow()
    if role is not None:
        return deny(_("您在本单位的角色为查看人，不能修改单位信息；如需修改请联系本单位经办人。"), hidden=False)
    return deny(_("您无权修改该单位的信息。"))


def can_edit_drafts(user, org: Organisation) -> Decision:
    """Whether the user may fill this organisation's application drafts (manager or editor).
    Not an action: a building block of the registered rules application.edit and registries.note,
    which nothing else asks."""
    role = _role_in(user, org)
    if role in (OrgRole.MANAGER, OrgRole.EDITOR):
        return True, ""
    if role is not None:
        return False, _("您在本单位的角色为查看人，只能查看，不能填写申报；如需填写请联系本单位经办人。")
    return False, _("您无权修改该单位的信息。")


@rule("organisation.letter_upload", roles=MEMBERS)
def can_upload_authority(user, org: Organisation) -> Decision:
    """Upload the 授权书: the organisation's 经办人, until its city's clerk has confirmed it."""
    if not (is_member(user, org) and member_role(user) == OrgRole.MANAGER):
        return deny(_("只有本单位经办人可以上传授权书。"), hidden=False)
    if org.status == OrgStatus.CONFIRMED:
        return deny(_("授权书已经归口管理部门确认，无需再次上传。"), hidden=False)
    return allow()


@rule("organisation.review_list", roles={Role.CITY_CLERK: ALL, Role.PROVINCE: ALL})
def can_see_registrations(user) -> Decision:
    """The registrations waiting for confirmation: a clerk its city's, the province every city's."""
    if getattr(user, "is_authenticated", False) and (
            (user.role == Role.CITY_CLERK and user.city_code) or user.role == Role.PROVINCE):
        return allow()
    return deny(_("只有归口管理部门和省科技厅可以查看。"))


@rule("organisation.review", roles=CLERK_OF_ITS_CITY)
def can_review_organisation(user, org: Organisation) -> Decision:
    if not is_city_clerk_of(user, org):
        return deny(_("只有该单位所属地市的归口管理部门可以确认单位注册。"))
    return allow()


@rule("organisation.transfer", roles=CLERK_OF_ITS_CITY)
def can_transfer_ownership(user, org: Organisation) -> Decision:
    if is_city_clerk_of(user, org):
        return allow()
    return deny(_("只有该单位所属地市的归口管理部门可以变更经办人。"))


def _city_label(org: Organisation) -> str:
    from duixian.codes import divisions

    city = divisions.city_by_code(org.city_code)
    return _("%(city)s科技局") % {"city": city.name} if city else _("所属地市归口管理部门")


def organisation_can_submit(org: Organisation) -> Decision:
    """Whether the organisation may submit applications now (drafts are always allowed).

    It may once the 授权书 is confirmed by its city's clerk (status CONFIRMED).
    """
    if org.in_anhui is False and not org.city_code:
        return False, _("根据统一社会信用代码，贵单位在安徽省外登记注册，不能申报本批次安徽省政策兑现。")
    if not org.city_code:
        from duixian.orgs.selectors import city_contact

        contact = city_contact(None)
        return False, _("尚未确定贵单位所属地市，请联系%(name)s（%(phone)s）。") % {"name": contact["name"], "phone": contact["phone"]}
    if org.status == OrgStatus.CONFIRMED:
        return True, ""
    clerk = _city_label(org)
    if org.status == OrgStatus.REJECTED:
        reason = _("（原因：%(reason)s）") % {"reason": org.rejection_reason} if org.rejection_reason else ""
        return False, _("贵单位的授权书未通过%(clerk)s确认%(reason)s，请经办人重新上传授权书；确认后方可提交申报，草稿可继续填写。") % {
            "clerk": clerk, "reason": reason}
    if not org.authority_letters.filter(status=LetterStatus.PENDING).exists():
        return False, _("请经办人先上传加盖单位公章的授权书，经%(clerk)s确认后方可提交申报；在此之前可以填写草稿。") % {"clerk": clerk}
    return False, _("贵单位的授权书正等待%(clerk)s确认，确认后方可提交申报；在此之前可以填写草稿。") % {"clerk": clerk}


def organisation_can_apply_for(org: Organisation, clause: int | str, pack=None) -> Decision:
    """Whether the organisation may apply for a clause of `pack` (default: the default batch's) at
    all: a team without a code, or an organisation that moved in from outside the province
    (`clause4_only`, a historical name), only for the clauses the pack opens to them
    (`admits_unregistered`)."""
    if not org.clause4_only:
        return True, ""
    if pack is None:
        from duixian.policy.active import current_pack

        pack = current_pack()
    admitting = [c for c in pack.clauses if c.admits_unregistered and c.takes_applications]
    if any(str(c.number) == str(clause) for c in admitting):
        return True, ""
    names = _("、").join(f"{pack.clause_name(c.number)}（{c.short_title}）" for c in admitting)
    if org.kind == OrgKind.TEAM and not org.uscc:
        if not names:
            return False, _("本批次不受理尚无统一社会信用代码的参赛团队申报。")
        return False, _("尚无统一社会信用代码的参赛团队只能申报%(clauses)s。") % {"clauses": names}
    if not names:
        return False, _("本批次不受理在安徽省外登记、已迁入安徽的单位申报。")
    return False, _("在安徽省外登记、已迁入安徽的单位只能申报%(clauses)s。") % {"clauses": names}
