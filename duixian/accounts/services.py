"""Account administration (system administrator) and role grants (security administrator).

三员分立 (issue 16), so that no single person can come to hold a way into application contents:

- the system administrator creates accounts WITHOUT a role, deactivates/activates them, and
  resets passwords and second factors — a reset never shows a credential to the administrator:
  a one-time link to set a new password goes to the e-mail address registered on the account,
  which the system administrator cannot change afterwards;
- the security administrator grants a staff role to an account that has none (never to
  themselves, never an administrator role) and revokes grants; the three administrator roles
  come only from the installation command (`duixian admin create`, server access);
- every step is audited.

A system administrator who registers an address they control on a new account still needs the
security administrator's grant before that account can see anything; the grant page shows the
registered address for that check.
"""

from __future__ import annotations

import secrets
import string

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from duixian.accounts.models import GRANTABLE_ROLES, RoleGrant, User
from duixian.authz.roles import ADMIN_ROLES, Role
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.core.errors import DomainError


class AccountError(DomainError):
    """A refused account operation, with the Chinese message the administrator sees."""


def temporary_password(length: int = 14) -> str:
    """Random, and always meets the password policy (all four character classes)."""
    pools = [string.ascii_uppercase, string.ascii_lowercase, string.digits, "#%+=@!?"]
    chars = [secrets.choice(pool) for pool in pools]
    everything = "".join(pools).translate(str.maketrans("", "", "O0Il1"))
    chars += [secrets.choice(everything) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def mask_email(email: str) -> str:
    """z***@example.gov.cn: enough for the administrator to tell which address, not to use it."""
    local, _at, domain = (email or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else "—"


def _same_address(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a.strip().lower() == b.strip().lower()


def password_link(user: User, request=None) -> str:
    """A one-time link to set the account's password: valid PASSWORD_RESET_TIMEOUT, void once
    the password changes or the user signs in (Django's token)."""
    path = reverse("accounts:password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(user.pk)),
                                                             default_token_generator.make_token(user)])
    return request.build_absolute_uri(path) if request is not None else path


def _mail_password_link(user: User, *, request, created: bool) -> None:
    """Send the link to the registered address only. Raises AccountError if it cannot be sent
    (the surrounding transaction then records nothing)."""
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    subject = _("【政策兑现平台】设置您的登录密码") if created else _("【政策兑现平台】重置您的登录密码")
    lead = (_("平台已为您开通账号（用户名：%(username)s）。") if created
            else _("系统管理员为您的账号（用户名：%(username)s）发起了密码重置。")) % {"username": user.username}
    body = "\n\n".join([
        lead,
        _("请在 %(hours)s 小时内打开下面的链接设置您自己的密码（链接只能使用一次）：") % {"hours": hours},
        password_link(user, request),
        _("如果您没有申请过，请忽略本邮件并告知平台安全管理员；您原来的密码仍然有效。"),
    ])
    try:
        send_mail(subject, body, None, [user.email])
    except Exception as error:  # noqa: BLE001 - any mail failure refuses the operation
        raise AccountError(_("重置链接邮件发送失败，请检查邮件服务器设置后重试。")) from error


@transaction.atomic
def user_create(*, by, username: str, email: str = "", full_name: str = "", phone: str = "", role: str = "",
                request=None) -> tuple[User, str]:
    """A new account WITHOUT a role; the holder sets the password through the link mailed to
    `email`. Returns the account and the masked address. Roles come from grants only."""
    if by.role != Role.SYSTEM_ADMIN:
        raise AccountError(_("只有系统管理员可以创建账号。"))
    if role:
        raise AccountError(_("系统管理员创建的账号没有角色：角色由安全管理员授予。"))
    email = (email or "").strip()
    if not email:
        raise AccountError(_("请填写本人的工作邮箱：设置密码的链接只发往该邮箱。"))
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(_("用户名已被使用。"))
    if _same_address(email, by.email):
        raise AccountError(_("不能使用您本人的邮箱为他人开设账号。"))
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        raise AccountError(_("该邮箱已登记在另一个账号上，一个邮箱只能对应一个账号。"))
    user = User(username=username, role="", full_name=full_name, phone=phone, email=email)
    user.set_unusable_password()
    user.save()
    audit_record("user.create", user=by, request=request, obj=user,
                 detail={"username": username, "role": "", "email": mask_email(email)})
    _mail_password_link(user, request=request, created=True)
    return user, mask_email(email)


@transaction.atomic
def user_reset_password(target: User, *, by, request=None) -> str:
    """Mail a one-time link to the account's registered address; the administrator sees no
    password and no link. The current password keeps working until the link is used.
    Returns the masked address."""
    if by.role != Role.SYSTEM_ADMIN:
        raise AccountError(_("只有系统管理员可以重置密码。"))
    if not target.email:
        raise AccountError(_("该账号没有登记邮箱，无法发送重置链接；请本人联系安全管理员核实身份后办理。"))
    audit_record("user.password_reset", user=by, request=request, obj=target,
                 detail={"username": target.username, "sent_to": mask_email(target.email)})
    _mail_password_link(target, request=request, created=False)
    return mask_email(target.email)


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


def _set_role(user: User, role: str, city_code: str, expires_at) -> None:
    user.role, user.city_code, user.role_expires_at = role, city_code, expires_at
    user.save(update_fields=["role", "city_code", "role_expires_at"])


def _end_grant(grant: RoleGrant, *, by) -> None:
    grant.revoked_at = clock.now()
    grant.revoked_by = by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    user = grant.user
    if user.role == grant.role and (user.city_code or "") == grant.city_code:
        _set_role(user, "", "", None)


@transaction.atomic
def role_grant(target: User, role: str, *, by, reason: str, city_code: str = "", expires_at=None,
               request=None) -> RoleGrant:
    """Security administrator: give an account without a role its staff role."""
    if by.role != Role.SECURITY_ADMIN or not by.is_active:
        raise AccountError(_("只有安全管理员可以授予业务角色。"))
    if role in ADMIN_ROLES or role not in GRANTABLE_ROLES:
        raise AccountError(_("管理员角色不能授予：系统、安全、审计管理员须由不同账号担任，一个账号只能担任其中一种。"))
    if target.pk == by.pk:
        raise AccountError(_("不能给自己授权。"))
    target = User.objects.select_for_update().get(pk=target.pk)
    if not target.is_active:
        raise AccountError(_("该账号已停用。"))
    if target.role and target.role_expired():
        grants_expire(user=target)
        target.refresh_from_db()
    if target.role == role and (role != Role.CITY_CLERK or target.city_code == city_code):
        raise AccountError(_("该用户本身就是这个角色。"))
    if target.role:
        raise AccountError(_("该账号已是“%(role)s”：一个账号只能担任一种角色，如需调整请先撤销现有授权。")
                           % {"role": target.role_label})
    if _same_address(target.email, by.email):
        raise AccountError(_("该账号登记的邮箱与您本人的相同，不能授权。"))
    if role == Role.CITY_CLERK and not city_code:
        raise AccountError(_("授予归口管理部门角色时必须选择所在市。"))
    if not reason.strip():
        raise AccountError(_("请填写授权理由。"))
    if expires_at is not None and expires_at <= clock.now():
        raise AccountError(_("到期时间必须晚于现在。"))
    city_code = city_code if role == Role.CITY_CLERK else ""
    grant = RoleGrant.objects.create(
        user=target, role=role, city_code=city_code, reason=reason.strip(),
        granted_by=by, granted_at=clock.now(), expires_at=expires_at,
    )
    _set_role(target, role, city_code, expires_at)
    audit_record("role.grant", user=by, request=request, obj=grant,
                 detail={"username": target.username, "role": role, "city_code": grant.city_code,
                         "email": mask_email(target.email), "reason": grant.reason,
                         "expires_at": expires_at.isoformat() if expires_at else None})
    return grant


@transaction.atomic
def role_revoke(grant: RoleGrant, *, by, request=None) -> None:
    if by.role != Role.SECURITY_ADMIN or not by.is_active:
        raise AccountError(_("只有安全管理员可以撤销业务角色。"))
    if grant.revoked_at is not None:
        raise AccountError(_("该授权已撤销。"))
    if grant.role in ADMIN_ROLES:
        raise AccountError(_("管理员角色在安装时设定，不能在此撤销；停用该账号请联系系统管理员。"))
    if grant.user_id == by.pk:
        raise AccountError(_("不能撤销自己的授权。"))
    grant = RoleGrant.objects.select_for_update().select_related("user").get(pk=grant.pk)
    _end_grant(grant, by=by)
    audit_record("role.revoke", user=by, request=request, obj=grant,
                 detail={"username": grant.user.username, "role": grant.role, "city_code": grant.city_code})


def grants_expire(user: User | None = None) -> int:
    """Revoke the grants whose time is up (housekeeping, and before a new grant); audited
    `role.expire`. Until this runs an expired role already counts as none (AccountBackend)."""
    now = clock.now()
    due = RoleGrant.objects.filter(revoked_at__isnull=True, expires_at__isnull=False, expires_at__lte=now)
    if user is not None:
        due = due.filter(user=user)
    count = 0
    for pk in list(due.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            grant = RoleGrant.objects.select_for_update().select_related("user").filter(pk=pk, revoked_at__isnull=True).first()
            if grant is None:
                continue
            _end_grant(grant, by=None)
            audit_record("role.expire", username="system", obj=grant,
                         detail={"username": grant.user.username, "role": grant.role, "city_code": grant.city_code})
            count += 1
    return count


@transaction.atomic
def administrator_create(*, username: str, role: str, email: str, full_name: str = "", password: str) -> User:
    """Installation only (`duixian admin create`, run on the server): an account holding one of
    the three administrator roles, recorded as a grant without a granting administrator."""
    from django.contrib.auth.password_validation import validate_password

    if role not in ADMIN_ROLES:
        raise AccountError(_("安装命令只设定系统、安全、审计管理员；业务角色由安全管理员在平台上授予。"))
    user = User.objects.filter(username=username).first()
    if user is not None and user.role:
        raise AccountError(_("该账号已是“%(role)s”：一个账号只能担任一种角色。") % {"role": user.role_label})
    user = user or User(username=username)
    user.full_name, user.email = full_name or user.full_name, email or user.email
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.save()
    administrator_grant(user, role)
    return user


def administrator_grant(user: User, role: str) -> RoleGrant:
    """An administrator role for an account without a role: installation (and the demo) only —
    no page leads here, and the grant names no granting administrator."""
    if role not in ADMIN_ROLES or user.role:
        raise AccountError(_("安装命令只为没有角色的账号设定系统、安全或审计管理员角色。"))
    with transaction.atomic():  # the grant, the role and its audit row, or none of them
        grant = RoleGrant.objects.create(user=user, role=role, reason=_("安装时设定的管理员角色"), granted_by=None,
                                         granted_at=clock.now())
        _set_role(user, role, "", None)
        audit_record("admin.create", username="system", obj=grant, detail={"username": user.username, "role": role})
    return grant
