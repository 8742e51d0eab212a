"""The roles of the platform and what separates them.

One account holds exactly one role. The three administrators (三员: system, security,
audit) are separate roles, so no account can hold two of them by construction.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申报单位用户")
    CITY_CLERK = "city_clerk", _("归口管理部门（市科技局）")
    PROVINCE = "province", _("省科技厅")
    EXPERT = "expert", _("评审专家")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
STAFF_ROLES = frozenset({Role.CITY_CLERK, Role.PROVINCE, Role.EXPERT}) | ADMIN_ROLES
