"""Writes on organisations and their people; each is one transaction and lands in the audit trail.

Domain errors carry a Chinese message and, where one field is at fault, that field's name, so
the views can show the message beside it.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _, gettext_lazy

from duixian.accounts.models import User
from duixian.authz.roles import Role
from duixian.accounts.sessions import end_sessions
from duixian.audit.services import audit_record
from duixian.core.clients import client_ip
from duixian.core import clock
from duixian.core.errors import DomainError
from duixian.core.uploads import IMAGES_AND_PDF, CheckedUpload, Refusals, UploadRefused, check_upload
from duixian.codes import divisions
from duixian.orgs.consent import CONSENT_TEXT, CONSENT_VERSION, consent_sha256
from duixian.orgs.models import (
    PRIOR_SUPPORT_CHOICES,
    AuthorityLetter,
    ConsentRecord,
    FactChange,
    Invitation,
    LetterStatus,
    OrgKind,
    OrgMembership,
    OrgRole,
    OrgStatus,
    Organisation,
)
from duixian.orgs.selectors import city_contact, organisation_by_uscc
from duixian.orgs.signals import profile_changed
from duixian.codes.uscc import check_uscc

INVITATION_VALID_DAYS = 7
LETTER_TYPES = IMAGES_AND_PDF
LETTER_REFUSALS = Refusals(
    too_big=gettext_lazy("文件过大（{size_mb:.1f} MB），授权书不能超过 {limit_mb} MB，请压缩或降低扫描分辨率后重新上传。"),
    empty=gettext_lazy("文件是空的，请重新选择授权书文件。"),
    wrong_type=gettext_lazy("授权书须为 PDF、JPG 或 PNG 文件（按文件内容识别，与扩展名无关）。请将加盖公章的授权书扫描或拍照后"
                            "保存为 PDF 或图片再上传。"),
)


class OrgError(DomainError):
    """A refusal with a Chinese message; ``field`` names the form field at fault, if any."""


class DuplicateOrganisation(OrgError):
    pass


def duplicate_message(org: Organisation) -> str:
    contact = city_contact(org.city_code)
    return _(
        "该统一社会信用代码已由“%(org)s”注册，不能重复注册。如您是该单位人员，请联系本单位的经办人在平台上"
        "邀请您加入；如无法联系经办人，请联系%(contact)s（归口管理部门，电话 %(phone)s）核实后变更经办人。"
    ) % {"org": org.name, "contact": contact["name"], "phone": contact["phone"]}


@dataclass
class Registration:
    uscc: str  # empty for a team without a code
    name: str
    kind: str
    city_code: str  # chosen city; ignored when the code determines one
    address: str
    legal_representative: str
    contact_phone: str
    username: str
    full_name: str
    phone: str
    password: str
    consent_version: str
    relocated_to_anhui: bool = False
    # What the compute subsidy (免申即享, 三（二）) and the clause rules read, stated at registration.
    independent_legal_person: bool | None = None
    agi_enterprise: bool | None = None
    affiliates: tuple[str, ...] = ()
    # Registered through the unified identity service: no password; the 经办人 is bound to it.
    identity: object | None = None  # accounts.oidc.Identity


def _record_consent(user: User, purpose: str, version: str, request) -> ConsentRecord:
    if version != CONSENT_VERSION:
        raise OrgError(_("个人信息处理告知书已更新，请重新阅读并勾选同意。"), field="consent")
    return ConsentRecord.objects.create(
        user=user, purpose=purpose, version=version, text_sha256=consent_sha256(CONSENT_TEXT),
        accepted_at=clock.now(), ip=client_ip(request),
    )


def _placement(data: Registration) -> dict:
    """Region, city and limits of a registration, derived from the code (never trusted from the form)."""
    chosen = divisions.city_by_code(data.city_code) if data.city_code else None
    if not data.uscc:
        if data.kind != OrgKind.TEAM:
            raise OrgError(_("请填写统一社会信用代码（只有尚未注册企业的参赛团队可以不填）。"), field="uscc")
        if chosen is None:
            raise OrgError(_("尚无统一社会信用代码的参赛团队请选择项目转化所在地市。"), field="city_code")
        return {"uscc": None, "region_code": "", "city_code": chosen.code, "in_anhui": None,
                "city_chosen": True, "clause4_only": True}
    check = check_uscc(data.uscc)
    if not check.valid:
        raise OrgError(check.error or _("统一社会信用代码无效。"), field="uscc")
    placement = {"uscc": check.uscc, "region_code": check.region_code or "", "in_anhui": check.in_anhui,
                 "city_chosen": False, "clause4_only": False}
    if check.city_code:
        placement["city_code"] = check.city_code
    elif check.in_anhui is False:
        if data.relocated_to_anhui:
            if chosen is None:
                raise OrgError(_("请选择工商、税务登记迁入的地市。"), field="city_code")
            placement.update(city_code=chosen.code, city_chosen=True, clause4_only=True)
        else:
            placement["city_code"] = ""
    else:
        if chosen is None:
            raise OrgError(_("该代码由省级或国家登记机关赋码，无法确定所属地市，请选择单位所在地市。"), field="city_code")
        placement.update(city_code=chosen.code, city_chosen=True)
    return placement


def _registration_facts(data: Registration, placement: dict) -> dict:
    affiliates = _checked_affiliates(data.affiliates, own=placement.get("uscc") or "")
    return {
        "independent_legal_person": data.independent_legal_person,
        "agi_enterprise": data.agi_enterprise if data.kind == OrgKind.ENTERPRISE else None,
        "affiliates": affiliates,
    }


def _checked_affiliates(codes, *, own: str = "") -> list[str]:
    out = []
    for code in codes or ():
        check = check_uscc(str(code))
        if not check.valid:
            raise OrgError(_("“%(code)s”不是有效的统一社会信用代码：%(error)s") % {"code": code, "error": check.error},
                           field="affiliates")
        if check.uscc != own and check.uscc not in out:
            out.append(check.uscc)
    return sorted(out)


def organisation_register(data: Registration, *, request=None) -> tuple[Organisation, User]:
    """Register an organisation and its first user (the 经办人), all or nothing."""
    placement = _placement(data)
    if data.identity is not None and placement["uscc"] != data.identity.uscc:
        raise OrgError(_("统一社会信用代码须与统一身份认证提供的一致。"), field="uscc")
    if placement["uscc"]:
        existing = organisation_by_uscc(placement["uscc"])
        if existing is not None:
            raise DuplicateOrganisation(duplicate_message(existing), field="uscc")
    if User.objects.filter(username__iexact=data.username).exists():
        raise OrgError(_("该用户名已被使用，请换一个。"), field="username")
    try:
        with transaction.atomic():
            stated = _registration_facts(data, placement)
            org = Organisation.objects.create(
                name=data.name, kind=data.kind, address=data.address,
                legal_representative=data.legal_representative, contact_phone=data.contact_phone,
                status=OrgStatus.PENDING, **placement, **stated,
            )
            user = User(username=data.username, full_name=data.full_name, phone=data.phone,
                        role=Role.APPLICANT, organisation=org)
            if data.identity is None:
                user.set_password(data.password)
            else:
                user.set_unusable_password()  # signs in through the unified identity service
            user.save()
            if data.identity is not None:
                from duixian.accounts.identity import identity_bind_registered

                identity_bind_registered(user, data.identity, request=request)
            now = clock.now()
            for name, value in stated.items():  # the profile's history starts with what was stated here
                if value not in (None, []):
                    FactChange.objects.create(organisation=org, fact=name, old_value=None, new_value=value,
                                              stated_by=user, stated_at=now)
            _record_consent(user, "registration", data.consent_version, request)
            OrgMembership.objects.create(user=user, organisation=org, role=OrgRole.MANAGER)
            audit_record("org.register", user=user, request=request, obj=org, detail={
                "uscc": org.uscc, "name": org.name, "kind": org.kind, "city_code": org.city_code,
                "city_chosen": org.city_chosen, "in_anhui": org.in_anhui, "consent_version": data.consent_version,
                "independent_legal_person": org.independent_legal_person, "agi_enterprise": org.agi_enterprise,
                "affiliates": org.affiliates,
            })
    except IntegrityError:
        # Two registrations raced: the unique constraint let exactly one through.
        if placement["uscc"]:
            existing = organisation_by_uscc(placement["uscc"])
            if existing is not None:
                raise DuplicateOrganisation(duplicate_message(existing), field="uscc") from None
        if User.objects.filter(username__iexact=data.username).exists():
            raise OrgError(_("该用户名已被使用，请换一个。"), field="username") from None
        raise
    return org, user


# --- 授权书 -----------------------------------------------------------------

def check_letter_file(uploaded) -> CheckedUpload:
    """Check an upload (the shared check, with the 授权书's own words); raise OrgError if refused."""
    if uploaded is None:
        raise OrgError(_("请选择授权书文件。"), field="file")
    try:
        return check_upload(uploaded, max_bytes=settings.MAX_UPLOAD_MB * 1024 * 1024, allowed=LETTER_TYPES,
                            refusals=LETTER_REFUSALS)
    except UploadRefused as refused:
        raise OrgError(refused.message, field="file") from None


def authority_letter_upload(org: Organisation, uploaded, *, user, request=None) -> AuthorityLetter:
    with check_letter_file(uploaded) as checked:
        name = default_storage.save(f"authority/{uuid.uuid4().hex}.{checked.extension}", checked.as_file())
    mime = checked.content_type
    try:
        with transaction.atomic():
            org = Organisation.objects.select_for_update().get(pk=org.pk)
            if org.status == OrgStatus.CONFIRMED:
                raise OrgError(_("授权书已经归口管理部门确认，无需再次上传。"), field="file")
            org.authority_letters.filter(status=LetterStatus.PENDING).update(
                status=LetterStatus.REJECTED, reason="已由新上传的授权书替代。")
            letter = AuthorityLetter.objects.create(
                organisation=org, file=name, original_name=(uploaded.name or "")[:200], content_type=mime,
                size=checked.size, sha256=checked.sha256, uploaded_by=user,
                uploaded_at=clock.now(),
            )
            if org.status == OrgStatus.REJECTED:
                org.status = OrgStatus.PENDING
                org.save(update_fields=["status"])
            audit_record("org.authority_letter.upload", user=user, request=request, obj=org, detail={
                "letter_id": letter.pk, "content_type": mime, "size": letter.size, "sha256": letter.sha256,
            })
    except BaseException:
        default_storage.delete(name)
        raise
    return letter


def organisation_confirm(org: Organisation, *, user, request=None) -> Organisation:
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=org.pk)
        if org.status != OrgStatus.PENDING:
            raise OrgError(_("该单位已处理（当前状态：%(state)s），请刷新页面。") % {"state": org.get_status_display()})
        letter = org.authority_letters.filter(status=LetterStatus.PENDING).order_by("-uploaded_at", "-pk").first()
        if letter is None:
            raise OrgError(_("该单位尚未上传授权书，不能确认。"))
        now = clock.now()
        letter.status, letter.reviewed_by, letter.reviewed_at = LetterStatus.CONFIRMED, user, now
        letter.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        org.status, org.confirmed_by, org.confirmed_at, org.rejection_reason = OrgStatus.CONFIRMED, user, now, ""
        org.save(update_fields=["status", "confirmed_by", "confirmed_at", "rejection_reason"])
        audit_record("org.confirm", user=user, request=request, obj=org, detail={
            "letter_id": letter.pk, "city_code": org.city_code, "city_chosen": org.city_chosen})
    return org


def organisation_reject(org: Organisation, reason: str, *, user, request=None) -> Organisation:
    reason = (reason or "").strip()
    if not reason:
        raise OrgError(_("请填写未通过的原因，申报单位将看到这段说明。"), field="reason")
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=org.pk)
        if org.status != OrgStatus.PENDING:
            raise OrgError(_("该单位已处理（当前状态：%(state)s），请刷新页面。") % {"state": org.get_status_display()})
        now = clock.now()
        org.authority_letters.filter(status=LetterStatus.PENDING).update(
            status=LetterStatus.REJECTED, reviewed_by=user, reviewed_at=now, reason=reason)
        org.status, org.rejection_reason = OrgStatus.REJECTED, reason
        org.save(update_fields=["status", "rejection_reason"])
        audit_record("org.reject", user=user, request=request, obj=org, detail={"reason": reason})
    return org


def organisation_transfer_ownership(org: Organisation, new_manager: User, *, user, request=None) -> None:
    """Make another active member the 经办人; the previous one becomes a 填报人."""
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=org.pk)
        if new_manager.organisation_id != org.pk or not new_manager.is_active:
            raise OrgError(_("只能把经办人变更为本单位的有效成员。"), field="member")
        target = OrgMembership.objects.filter(user=new_manager).first()
        if target is not None and not target.active:
            raise OrgError(_("该成员已被移除，不能担任经办人。"), field="member")
        previous = list(OrgMembership.objects.filter(organisation=org, role=OrgRole.MANAGER, active=True)
                        .exclude(user=new_manager))
        for membership in previous:
            membership.role = OrgRole.EDITOR
            membership.save(update_fields=["role"])
        # Accounts made before memberships existed get their row now, so the roles are explicit.
        for member in org.members.filter(is_active=True).exclude(pk=new_manager.pk).filter(membership__isnull=True):
            OrgMembership.objects.create(user=member, organisation=org, role=OrgRole.EDITOR)
        OrgMembership.objects.update_or_create(
            user=new_manager, defaults={"organisation": org, "role": OrgRole.MANAGER, "active": True})
        audit_record("org.transfer_ownership", user=user, request=request, obj=org, detail={
            "new_manager": new_manager.username, "previous": [m.user.username for m in previous]})


# --- people -------------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "ignore")).hexdigest()


def invitation_create(org: Organisation, role: str, note: str = "", *, user, request=None) -> tuple[Invitation, str]:
    if role not in (OrgRole.EDITOR, OrgRole.VIEWER):
        raise OrgError(_("邀请的成员只能是填报人或查看人；经办人变更请联系归口管理部门。"), field="role")
    token = secrets.token_urlsafe(32)
    now = clock.now()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=org, token_sha256=_token_hash(token), role=role, note=note.strip()[:50],
            created_by=user, created_at=now, expires_at=now + timedelta(days=INVITATION_VALID_DAYS),
        )
        audit_record("org.invitation.create", user=user, request=request, obj=org,
                     detail={"invitation_id": invitation.pk, "role": role, "note": invitation.note})
    return invitation, token


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why an invitation cannot be used now, or None."""
    if invitation is None:
        return _("邀请链接无效，请向本单位经办人索取新的邀请链接。")
    if invitation.revoked_at:
        return _("该邀请已被经办人撤销，请向本单位经办人索取新的邀请链接。")
    if invitation.used_at:
        return _("该邀请链接已被使用过（每个链接只能使用一次），请向本单位经办人索取新的邀请链接。")
    if clock.now() >= invitation.expires_at:
        return _("该邀请链接已过期（有效期 7 天），请向本单位经办人索取新的邀请链接。")
    return None


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(token_sha256=_token_hash(token)).first()


@dataclass
class Joining:
    username: str
    full_name: str
    phone: str
    password: str
    consent_version: str


def invitation_accept(token: str, data: Joining, *, request=None) -> User:
    try:
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().filter(token_sha256=_token_hash(token)).first()
            problem = invitation_problem(invitation)
            if problem:
                raise OrgError(problem)
            if User.objects.filter(username__iexact=data.username).exists():
                raise OrgError(_("该用户名已被使用，请换一个。"), field="username")
            org = invitation.organisation
            user = User(username=data.username, full_name=data.full_name, phone=data.phone,
                        role=Role.APPLICANT, organisation=org)
            user.set_password(data.password)
            user.save()
            _record_consent(user, "invitation", data.consent_version, request)
            OrgMembership.objects.create(user=user, organisation=org, role=invitation.role,
                                         invited_by=invitation.created_by)
            invitation.used_at, invitation.used_by = clock.now(), user
            invitation.save(update_fields=["used_at", "used_by"])
            audit_record("org.invitation.accept", user=user, request=request, obj=org,
                         detail={"invitation_id": invitation.pk, "role": invitation.role})
    except IntegrityError:
        raise OrgError(_("该用户名已被使用，请换一个。"), field="username") from None
    return user


def invitation_revoke(invitation: Invitation, *, user, request=None) -> None:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at or invitation.revoked_at:
            raise OrgError(_("该邀请已使用或已撤销。"))
        invitation.revoked_at = clock.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record("org.invitation.revoke", user=user, request=request, obj=invitation.organisation,
                     detail={"invitation_id": invitation.pk})


def _membership_for(member: User, org: Organisation) -> OrgMembership:
    membership = OrgMembership.objects.select_for_update().filter(user=member).first()
    if membership is None:
        from duixian.orgs.permissions import member_role

        membership = OrgMembership.objects.create(
            user=member, organisation=org, role=member_role(member) or OrgRole.EDITOR, active=member.is_active)
    return membership


def member_remove(org: Organisation, member: User, *, user, request=None) -> int:
    """Deactivate a member and end their sessions; the 经办人 cannot be removed (transfer first)."""
    if member.organisation_id != org.pk:
        raise OrgError(_("该用户不是本单位成员。"))
    if member.pk == user.pk:
        raise OrgError(_("不能移除自己。如需更换经办人，请联系归口管理部门。"))
    with transaction.atomic():
        membership = _membership_for(member, org)
        if membership.role == OrgRole.MANAGER and membership.active:
            raise OrgError(_("不能移除经办人。如需更换经办人，请联系归口管理部门。"))
        membership.active, membership.removed_at = False, clock.now()
        membership.save(update_fields=["active", "removed_at"])
        member.is_active = False
        member.save(update_fields=["is_active"])
        ended = end_sessions(member)
        audit_record("org.member.remove", user=user, request=request, obj=org,
                     detail={"member": member.username, "sessions_ended": ended})
    return ended


def member_set_role(org: Organisation, member: User, role: str, *, user, request=None) -> None:
    if role not in (OrgRole.EDITOR, OrgRole.VIEWER):
        raise OrgError(_("成员角色只能设为填报人或查看人。"), field="role")
    if member.organisation_id != org.pk:
        raise OrgError(_("该用户不是本单位成员。"))
    with transaction.atomic():
        membership = _membership_for(member, org)
        if membership.role == OrgRole.MANAGER:
            raise OrgError(_("经办人的角色不能在此修改；如需更换经办人，请联系归口管理部门。"))
        if not membership.active:
            raise OrgError(_("该成员已被移除。"))
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit_record("org.member.set_role", user=user, request=request, obj=org,
                     detail={"member": member.username, "old": old, "new": role})


# --- profile ------------------------------------------------------------------

PROFILE_FACTS = ("kind", "independent_legal_person", "agi_enterprise", "affiliates", "owns_ip", "credit_good",
                 "major_violation", "prior_support", "address", "legal_representative", "contact_phone")
# Facts the rules and the compute subsidy read: changed after the city confirmed the organisation,
# the city's clerks are told and see the change on the organisation's page.
RULE_FACTS = ("kind", "independent_legal_person", "agi_enterprise", "affiliates", "owns_ip", "credit_good",
              "major_violation", "prior_support")
_PRIOR_SUPPORT_VALUES = {value for value, _label in PRIOR_SUPPORT_CHOICES}


def organisation_profile_update(org: Organisation, values: dict, *, user, request=None) -> list[str]:
    """Store the stated facts; each change gets a history row with who stated it and when."""
    unknown = set(values) - set(PROFILE_FACTS)
    if unknown:
        raise OrgError(_("未知的单位信息项：%(items)s") % {"items": _("、").join(sorted(unknown))})
    if "prior_support" in values:
        bad = set(values["prior_support"]) - _PRIOR_SUPPORT_VALUES
        if bad:
            raise OrgError(_("未知的已获支持类别：%(items)s") % {"items": _("、").join(sorted(bad))}, field="prior_support")
        values = dict(values, prior_support=sorted(set(values["prior_support"])))
    if "kind" in values:
        if values["kind"] not in OrgKind.values or values["kind"] == OrgKind.TEAM:
            raise OrgError(_("请选择单位类型。"), field="kind")
    if "affiliates" in values:
        values = dict(values, affiliates=_checked_affiliates(values["affiliates"], own=org.uscc or ""))
    changed = []
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=org.pk)
        if "kind" in values and org.kind == OrgKind.TEAM and values["kind"] != OrgKind.TEAM:
            raise OrgError(_("参赛团队的单位类型不能在此修改；取得统一社会信用代码后请以单位身份重新注册。"), field="kind")
        if "kind" in values and values["kind"] != OrgKind.ENTERPRISE:
            values = dict(values, agi_enterprise=None)  # asked of enterprises only
        now = clock.now()
        previous = {}
        for name, new in values.items():
            old = getattr(org, name)
            if old == new:
                continue
            FactChange.objects.create(organisation=org, fact=name, old_value=old, new_value=new,
                                      stated_by=user, stated_at=now)
            setattr(org, name, new)
            changed.append(name)
            previous[name] = old
        if changed:
            org.save(update_fields=changed)
            after_confirmation = org.status == OrgStatus.CONFIRMED and bool(set(changed) & set(RULE_FACTS))
            audit_record("org.profile.update", user=user, request=request, obj=org,
                         detail={"changed": changed, "after_confirmation": after_confirmation})
            # applications tells the city's clerks of rule facts changed after confirmation
            profile_changed.send(Organisation, organisation=org, previous=previous, user=user)
    return changed


FACT_WORDS = {
    "kind": "单位类型", "independent_legal_person": "具有独立法人资格", "agi_enterprise": "属于通用人工智能企业",
    "affiliates": "关联企业", "owns_ip": "拥有明晰的自主知识产权", "credit_good": "社会信用记录良好",
    "major_violation": "有重大违法行为", "prior_support": "已获得的支持",
}


def organisation_change_city(org: Organisation, city_code: str, *, user, request=None) -> Organisation:
    """Change a chosen city before confirmation (e.g. after the clerk said it belongs elsewhere)."""
    city = divisions.city_by_code(city_code)
    if city is None:
        raise OrgError(_("请选择所在地市。"), field="city_code")
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=org.pk)
        if not org.city_chosen:
            raise OrgError(_("本单位的所属地市由统一社会信用代码确定，不能更改。"), field="city_code")
        if org.status == OrgStatus.CONFIRMED:
            raise OrgError(_("单位已经归口管理部门确认，不能再更改所在地市；如确需更改，请联系所属地市科技局。"),
                           field="city_code")
        old = org.city_code
        if old == city.code:
            return org
        org.city_code = city.code
        org.save(update_fields=["city_code"])
        audit_record("org.change_city", user=user, request=request, obj=org, detail={"old": old, "new": city.code})
    return org
