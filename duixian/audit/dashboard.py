"""Dashboard links for the audit administrator."""

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian.authz.roles import Role


def dashboard_links(user) -> list[dict]:
    if getattr(user, "is_authenticated", False) and user.role == Role.AUDIT_ADMIN:
        return [
            {"url": reverse("audit:search"), "label": _("审计日志查询与导出")},
            {"url": reverse("audit:verify"), "label": _("审计日志完整性校验")},
        ]
    return []
