"""The provider's return address is public: whatever a link puts in its `error` parameter must not
be shown on the platform's page as the service's words (text injection: a phone number to call, a
site to visit), nor written unbounded into the audit trail."""

from __future__ import annotations

import pytest

from duixian.audit.models import AuditEvent

ISSUER = "https://ids.example.gov.cn/oidc"
SPOOF = "账号异常请拨打4001234567或访问evil.example.com领取补贴"


def _said(response) -> str:
    """The message the page shows (the page's own address is also in a hidden form field)."""
    return response.content.decode().split('class="error-summary"')[1].split("</div>")[0]


@pytest.fixture
def configured(settings):
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "duixian", "secret"
    return settings


@pytest.mark.django_db
def test_a_made_up_error_in_the_return_link_is_not_shown_as_the_services_words(client, configured):
    response = client.get("/accounts/oidc/callback/", {"error": SPOOF + "x" * 5000, "state": "forged"})
    said = _said(response)
    assert response.status_code == 400
    assert "4001234567" not in said and "evil.example.com" not in said
    assert "统一身份认证服务拒绝了本次登录" in said  # still said in Chinese, without the made-up text
    event = AuditEvent.objects.get(action="login.oidc", outcome="failure")
    assert "4001234567" not in str(event.detail) and len(str(event.detail)) < 500


@pytest.mark.django_db
def test_a_standard_error_code_from_the_service_is_still_named(client, configured):
    assert "temporarily_unavailable" in _said(client.get("/accounts/oidc/callback/", {"error": "temporarily_unavailable"}))
    assert "您在统一身份认证页面取消了授权" in _said(client.get("/accounts/oidc/callback/", {"error": "access_denied"}))
