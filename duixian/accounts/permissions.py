"""Rules of the accounts app (see duixian.accounts.authz): any signed-in user's own pages, and
三员分立: each administrator does one job."""

from django.utils.translation import gettext as _

from duixian.accounts.authz import ALL, ANONYMOUS, EVERY_ROLE, allow, deny, rule
from duixian.accounts.roles import Role

Decision = tuple[bool, str]


@rule("signed_in", roles=EVERY_ROLE)
def is_signed_in(user):
    """Pages every signed-in user opens about themself or with no organisation's data (their
    notifications, their list filtered to what they may see, a blank template)."""
    if getattr(user, "is_authenticated", False) and user.is_active:
        return allow()
    return deny(_("请先登录。"))


@rule("anyone", roles={**EVERY_ROLE, ANONYMOUS: ALL})
def anyone(user):
    """Public pages (the status lookup by 受理编号, the public 公示): no one is refused."""
    return allow()


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
