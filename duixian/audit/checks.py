"""System checks: the audit retention can never be set below six months."""

from django.conf import settings
from django.core.checks import Error, register

MIN_RETENTION_MONTHS = 6


@register()
def audit_retention(app_configs, **kwargs):
    value = getattr(settings, "AUDIT_RETENTION_MONTHS", None)
    if not isinstance(value, int) or value < MIN_RETENTION_MONTHS:
        return [Error(
            f"AUDIT_RETENTION_MONTHS={value!r}：审计日志保存期限不得少于 {MIN_RETENTION_MONTHS} 个月。",
            hint="设置环境变量 AUDIT_RETENTION_MONTHS 为不小于 6 的整数（默认 36）。",
            id="duixian.audit.E001",
        )]
    return []
