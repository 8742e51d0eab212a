"""三员分立: each administrator does one job. Each function answers (allowed, reason)."""

from django.utils.translation import gettext as _

from duixian.accounts.roles import Role

Decision = tuple[bool, str]


def can_manage_accounts(user) -> Decision:
    if user.is_authenticated and user.role == Role.SYSTEM_ADMIN:
        return True, ""
    return False, _("只有系统管理员可以管理账号。")


def can_manage_roles(user) -> Decision:
    if user.is_authenticated and user.role == Role.SECURITY_ADMIN:
        return True, ""
    return False, _("只有安全管理员可以授予或撤销业务角色。")


def can_read_audit(user) -> Decision:
    if user.is_authenticated and user.role == Role.AUDIT_ADMIN:
        return True, ""
    return False, _("只有审计管理员可以查阅审计日志。")
