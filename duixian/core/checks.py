"""Deployment checks of our own, run by `duixian check --deploy`."""

from django.conf import settings
from django.core.checks import Error, Tags, register


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
