"""The security policy in one place: who must use two-factor, and the numbers the docs quote.

The values themselves live in settings (so operators can read them in one file); this module
answers questions about them.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from duixian.authz.roles import STAFF_ROLES


def otp_required(user) -> bool:
    """Staff and the three administrators always; an applicant once they have enrolled a device."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role in STAFF_ROLES:
        return True
    return has_totp_device(user)


def requires_unified_identity(user) -> bool:
    """Roles (OIDC_REQUIRED_ROLES) that may not sign in with a local password while the unified
    identity service is configured (issue 21)."""
    return bool(settings.OIDC_ISSUER) and bool(user.role) and user.role in settings.OIDC_REQUIRED_ROLES


def has_totp_device(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    enrolled = getattr(user, "totp_enrolled", None)  # loaded with the request's user (AccountBackend)
    if enrolled is not None:
        return enrolled

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def policy_summary() -> list[tuple[str, str]]:
    """What the security administrator's policy page shows (label, value)."""
    from duixian.authz.roles import Role

    cooloff = settings.AXES_COOLOFF_TIME
    minutes = int(cooloff.total_seconds() // 60) if hasattr(cooloff, "total_seconds") else cooloff
    staff = _("、").join(str(Role(r).label) for r in sorted(STAFF_ROLES))
    return [
        (_("密码复杂度"), _("至少 8 个字符，含大写字母、小写字母、数字、特殊符号中的至少 3 类，不得包含用户名")),
        (_("首次登录"), _("由他人创建或重置密码的账号，首次登录须修改密码")),
        (_("登录失败锁定"), _("同一账号从同一地址连续 %(failures)s 次登录失败，从该地址登录锁定 %(minutes)s 分钟；本单位经办人或安全管理员可提前解除")
         % {"failures": settings.AXES_FAILURE_LIMIT, "minutes": minutes}),
        (_("会话超时"), _("%(minutes)s 分钟无操作自动退出") % {"minutes": settings.SESSION_COOKIE_AGE // 60}),
        (_("双因素认证（TOTP）"), _("强制：%(roles)s；申报单位用户可选") % {"roles": staff}),
        (_("审计日志保存期限"), _("%(months)s 个月（不少于 6 个月）") % {"months": settings.AUDIT_RETENTION_MONTHS}),
    ]
