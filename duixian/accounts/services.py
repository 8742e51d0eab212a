"""Account administration (system administrator) and role grants (security administrator).

Every change is audited. A new or reset account gets a one-time password that the
administrator hands over; the holder must change it at first login.
"""

from __future__ import annotations

import secrets
import string

from django.db import transaction
from django.utils.translation import gettext as _

from duixian.accounts.models import GRANTABLE_ROLES, RoleGrant, User
from duixian.accounts.roles import ADMIN_ROLES, Role
from duixian.audit.services import audit_record
from duixian.core import clock


class AccountError(Exception):
    """A refused account operation, with the Chinese message the administrator sees."""


def temporary_password(length: int = 14) -> str:
    """Random, and always meets the password policy (all four character classes)."""
    pools = [string.ascii_uppercase, string.ascii_lowercase, string.digits, "#%+=@!?"]
    chars = [secrets.choice(pool) for pool in pools]
    everything = "".join(pools).translate(str.maketrans("", "", "O0Il1"))
    chars += [secrets.choice(everything) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


@transaction.atomic
def user_create(*, by, username: str, role: str, full_name: str = "", phone: str = "",
                city_code: str = "", organisation=None, request=None) -> tuple[User, str]:
    if by.role != Role.SYSTEM_ADMIN:
        raise AccountError(_("只有系统管理员可以创建账号。"))
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(_("用户名已被使用。"))
    if role == Role.APPLICANT and organisation is None:
        raise AccountError(_("申报单位用户必须属于一个申报单位。"))
    if role == Role.CITY_CLERK and not city_code:
        raise AccountError(_("归口管理部门用户必须选择所在市。"))
    if role != Role.APPLICANT:
        organisation = None
    if role != Role.CITY_CLERK:
        city_code = ""
    password = temporary_password()
    user = User(username=username, role=role, full_name=full_name, phone=phone, city_code=city_code,
                organisation=organisation, must_change_password=True)
    user.set_password(password)
    user.save()
    audit_record("user.create", user=by, request=request, obj=user,
                 detail={"username": username, "role": role, "city_code": city_code,
                         "organisation_id": getattr(organisation, "pk", None)})
    return user, password


@transaction.atomic
def user_reset_password(target: User, *, by, request=None) -> str:
    if by.role != Role.SYSTEM_ADMIN:
        raise AccountError(_("只有系统管理员可以重置密码。"))
    password = temporary_password()
    target.set_password(password)
    target.must_change_password = True
    target.save(update_fields=["password", "must_change_password"])
    audit_record("user.password_reset", user=by, request=request, obj=target, detail={"username": target.username})
    return password


@transaction.atomic
def user_set_active(target: User, active: bool, *, by, request=None) -> None:
    if by.role != Role.SYSTEM_ADMIN:
        raise AccountError(_("只有系统管理员可以停用或启用账号。"))
    if target.pk == by.pk:
        raise AccountError(_("不能停用自己的账号。"))
    target.is_active = active
    target.save(update_fields=["is_active"])
    audit_record("user.activate" if active else "user.deactivate", user=by, request=request, obj=target,
                 detail={"username": target.username})


@transaction.atomic
def role_grant(target: User, role: str, *, by, reason: str, city_code: str = "", expires_at=None,
               request=None) -> RoleGrant:
    """Security administrator: let a person act in a business role (e.g. read applications)."""
    if by.role != Role.SECURITY_ADMIN:
        raise AccountError(_("只有安全管理员可以授予业务角色。"))
    if role in ADMIN_ROLES or role not in GRANTABLE_ROLES:
        raise AccountError(_("管理员角色不能授予：系统、安全、审计管理员须由不同账号担任，一个账号只能担任其中一种。"))
    if target.pk == by.pk:
        raise AccountError(_("不能给自己授权。"))
    if not target.is_active:
        raise AccountError(_("该账号已停用。"))
    if target.role == role and (role != Role.CITY_CLERK or target.city_code == city_code):
        raise AccountError(_("该用户本身就是这个角色。"))
    if role == Role.CITY_CLERK and not city_code:
        raise AccountError(_("授予归口管理部门角色时必须选择所在市。"))
    if not reason.strip():
        raise AccountError(_("请填写授权理由。"))
    grant = RoleGrant.objects.create(
        user=target, role=role, city_code=city_code if role == Role.CITY_CLERK else "", reason=reason.strip(),
        granted_by=by, granted_at=clock.now(), expires_at=expires_at,
    )
    audit_record("role.grant", user=by, request=request, obj=grant,
                 detail={"username": target.username, "role": role, "city_code": grant.city_code,
                         "reason": grant.reason, "expires_at": expires_at.isoformat() if expires_at else None})
    return grant


@transaction.atomic
def role_revoke(grant: RoleGrant, *, by, request=None) -> None:
    if by.role != Role.SECURITY_ADMIN:
        raise AccountError(_("只有安全管理员可以撤销业务角色。"))
    if grant.revoked_at is not None:
        raise AccountError(_("该授权已撤销。"))
    grant.revoked_at = clock.now()
    grant.revoked_by = by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    audit_record("role.revoke", user=by, request=request, obj=grant,
                 detail={"username": grant.user.username, "role": grant.role, "city_code": grant.city_code})
