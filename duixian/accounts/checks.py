"""System checks of the unified identity sign-in (issue 21): a half-set OIDC_* configuration stops
start-up instead of failing at the first person's sign-in; production talks to the provider over HTTPS."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.security)
def oidc_settings_complete(app_configs, **kwargs):
    if not settings.OIDC_ISSUER:
        return []
    from duixian.authz.roles import Role

    errors = []
    if not settings.OIDC_CLIENT_ID or not settings.OIDC_CLIENT_SECRET:
        errors.append(Error("已设置 OIDC_ISSUER，但缺少 OIDC_CLIENT_ID 或 OIDC_CLIENT_SECRET（统一身份认证服务登记本平台后提供）。",
                            id="duixian.accounts.E001"))
    if "openid" not in settings.OIDC_SCOPES.split():
        errors.append(Error(f"OIDC_SCOPES={settings.OIDC_SCOPES!r} 须包含 openid。", id="duixian.accounts.E002"))
    unknown = [role for role in settings.OIDC_REQUIRED_ROLES if role not in Role.values]
    if unknown:
        errors.append(Error(f"OIDC_REQUIRED_ROLES 中有无法识别的角色：{', '.join(unknown)}；可用：{', '.join(Role.values)}。",
                            id="duixian.accounts.E003"))
    return errors


@register(Tags.security, deploy=True)
def oidc_over_https(app_configs, **kwargs):
    if settings.OIDC_ISSUER and urlsplit(settings.OIDC_ISSUER).scheme != "https":
        return [CheckWarning(f"OIDC_ISSUER={settings.OIDC_ISSUER!r} 不是 HTTPS 地址：客户端密钥和身份凭证将明文传输。",
                             id="duixian.accounts.W001")]
    return []
