"""Checks of our own: the rate settings at every start, the rest by `duixian check --deploy`."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.security, deploy=True)
def secret_key_from_environment(app_configs, **kwargs):
    if settings.SECRET_KEY_FROM_ENVIRONMENT:
        return []
    return [Error("SECRET_KEY 环境变量未设置：生产环境必须设置固定的 SECRET_KEY。", id="duixian.E001")]


@register(Tags.security, deploy=True)
def demo_mode_off(app_configs, **kwargs):
    if settings.DEMO_MODE:
        return [Error("生产环境不得开启演示模式（DUIXIAN_DEMO）。", id="duixian.E002")]
    return []


RATE_SETTINGS = ("LOGIN_RATE_PER_IP", "RATE_LIMIT_REGISTER", "RATE_LIMIT_JOIN", "RATE_LIMIT_OBJECTION",
                 "RATE_LIMIT_OBJECTION_PER_ITEM", "RATE_LIMIT_EVALUATE", "RATE_LIMIT_PUBLIC_DOWNLOAD",
                 "RATE_LIMIT_STATUS_LOOKUP")


@register(Tags.security)
def rate_limits_are_readable(app_configs, **kwargs):
    """A typo in an operator's rate or store must stop start-up, not surface as a 500 on the
    first POST (or as counters silently kept per process)."""
    from duixian.core.ratelimit import parse_rates

    errors = []
    for name in RATE_SETTINGS:
        try:
            parse_rates(str(getattr(settings, name)))
        except ValueError:
            errors.append(Error(f"{name}={getattr(settings, name)!r} 无法识别：频率写作 N/s、N/m、N/h 或 N/d，"
                                f"多个用逗号分隔，例如 20/m,150/h。", id="duixian.E003"))
    store = getattr(settings, "RATELIMIT_STORE", "cache")
    if store not in {"cache", "database"}:
        errors.append(Error(f"RATELIMIT_STORE={store!r} 无法识别：应为 cache 或 database。", id="duixian.E004"))
    return errors


@register(Tags.security, deploy=True)
def rate_limit_counters_are_shared(app_configs, **kwargs):
    """Per-process counters: with 4 gunicorn processes a limit is up to 4 times looser."""
    if getattr(settings, "RATELIMIT_STORE", "cache") != "database" and settings.RATELIMIT_ENABLED:
        return [CheckWarning("限流计数保存在各进程内存中，多个 gunicorn 进程或多台应用服务器各自计数。"
                             "生产环境请设置 RATELIMIT_STORE=database。", id="duixian.W001")]
    return []
