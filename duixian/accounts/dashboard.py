"""Dashboard links for the system and security administrators, and everyone's own security page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian import authz


def dashboard_links(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    links = []
    if authz.check(user, "accounts.manage"):
        links.append({"url": reverse("accounts:manage_users"), "label": _("账号管理（系统管理员）")})
    if authz.check(user, "roles.manage"):
        links.append({"url": reverse("accounts:manage_roles"), "label": _("角色授权与安全策略（安全管理员）")})
    if authz.check(user, "lockouts.manage"):  # the security administrator, an organisation's 经办人
        links.append({"url": reverse("accounts:lockouts"), "label": _("登录锁定")})
    if not user.role:
        links.append({"url": reverse("accounts:security"),
                      "label": _("您的账号尚未被授予角色，暂不能使用业务功能：请联系安全管理员授权")})
    links.append({"url": reverse("accounts:security"), "label": _("账号安全（密码、双因素认证）")})
    return links
