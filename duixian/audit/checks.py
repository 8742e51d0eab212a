"""System checks: the audit retention can never be set below six months; production keys the
audit chain with a key of its own."""

from django.conf import settings
from django.core.checks import Error, Tags, register

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


@register(Tags.security, deploy=True)
def audit_chain_key_from_environment(app_configs, **kwargs):
    """Without its own key the chain is keyed with the published development key: anyone with
    the code could then recompute it after editing the database."""
    key = str(getattr(settings, "AUDIT_CHAIN_KEY", ""))
    if not getattr(settings, "AUDIT_CHAIN_KEY_FROM_ENVIRONMENT", False):
        return [Error(
            "AUDIT_CHAIN_KEY 环境变量未设置：生产环境必须为审计日志哈希链设置独立的密钥（不得保存在数据库中）。",
            hint="python3 -c 'import secrets; print(secrets.token_urlsafe(48))' 生成后写入 /etc/duixian/duixian.env；"
                 "密钥一经启用不得更换或丢失，请离线备份（docs/security.md）。",
            id="duixian.audit.E002",
        )]
    if len(key) < 32 or "CHANGE-ME" in key:
        return [Error("AUDIT_CHAIN_KEY 太短或仍是示例值：至少 32 个随机字符。", id="duixian.audit.E003")]
    return []
