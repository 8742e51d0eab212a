"""Signing in through the unified identity service (统一身份认证), in a real Chromium, against a real
OpenID Connect provider on loopback (django-oauth-toolkit in its own process: tests/accounts/oidc_provider).

A legal-person login lands in its organisation; a first login of an unknown organisation starts its
registration with the code and name locked; a personal login binds a staff account after its
password and one-time code; a forged state or nonce is refused; logout ends both sessions.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from duixian.accounts.models import IdentityLink, IdentityProviderFactor, User
from duixian.authz.roles import Role
from duixian.audit.models import AuditEvent
from duixian.orgs.models import OrgMembership, OrgRole, Organisation
from tests.accounts.oidc_provider.running import CLIENT_ID, CLIENT_SECRET, identity_provider
from tests.conftest import ARTIFACTS, PASSWORD, make_org, make_user, new_page, totp_code
from tests.orgs.test_registration import HEFEI_USCC as NEW_USCC

pytestmark = pytest.mark.browser

XINGHE_USCC = "91340100MA2RXH7Q95"
IDP_PASSWORD = "Idp#2026-pass"
PEOPLE = {
    # A legal-person (法人) login for 星河 by one of its people, and one for a company not yet on the platform.
    "xinghe_zhang": {"password": IDP_PASSWORD, "claims": {
        "name": "张晓", "phone_number": "13155113928", "uscc": XINGHE_USCC, "org_name": "合肥星河测试科技有限公司"}},
    "xinrui_liu": {"password": IDP_PASSWORD, "claims": {
        "name": "刘敏", "phone_number": "13155113929", "uscc": NEW_USCC, "org_name": "合肥新锐智能科技有限公司"}},
    # Personal logins: a city clerk (password only at the provider), the province (with a second factor).
    "clerk_wang": {"password": IDP_PASSWORD, "claims": {"name": "王芳", "phone_number": "13155113930"}},
    "province_zhao": {"password": IDP_PASSWORD, "claims": {
        "name": "赵刚", "phone_number": "13155113931", "acr": "urn:anhui:loa:3", "amr": ["pwd", "otp"]}},
}


@pytest.fixture(scope="module")
def provider(live_server):
    with identity_provider(PEOPLE, platform_url=live_server.url) as issuer:
        yield issuer


@pytest.fixture
def oidc(provider, settings):
    settings.OIDC_ISSUER = provider
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    settings.CSP_FORM_ACTION = ("'self'", "http://127.0.0.1:" + str(urlsplit(provider).port))
    return provider


@pytest.fixture
def page(browser):
    return new_page(browser)


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"oidc-{name}.png"), full_page=True)


def sign_in_at_provider(page, base: str, username: str) -> None:
    """From our sign-in page to the provider's, and sign in there as `username`."""
    page.goto(f"{base}/accounts/login/")
    page.click("a.button:has-text('通过统一身份认证登录')")
    page.wait_for_selector("text=统一身份认证（测试）")
    page.fill("#id_username", username)
    page.fill("#id_password", IDP_PASSWORD)
    page.click("button:has-text('登录')")


def provider_session(page, issuer: str) -> str:
    """Who the browser is signed in as at the provider ("-": nobody)."""
    page.goto(issuer.removesuffix("/o") + "/whoami/")
    return page.inner_text("body").strip()


def with_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query[name] = value
    return urlunsplit(parts._replace(query=urlencode(query)))


def xinghe_with_members():
    org = make_org(XINGHE_USCC, "合肥星河测试科技有限公司", "340100")
    manager = make_user("xinghe_jbr", Role.APPLICANT, organisation=org, phone="13900000001", full_name="李经办")
    OrgMembership.objects.create(user=manager, organisation=org, role=OrgRole.MANAGER)
    viewer = make_user("xinghe_zx", Role.APPLICANT, organisation=org, phone="13155113928", full_name="张晓")
    OrgMembership.objects.create(user=viewer, organisation=org, role=OrgRole.VIEWER, invited_by=manager)
    return org, viewer


@pytest.mark.django_db(transaction=True)
def test_legal_person_lands_in_its_organisation_and_logout_ends_both_sessions(page, live_server, oidc):
    org, viewer = xinghe_with_members()

    sign_in_at_provider(page, live_server.url, "xinghe_zhang")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert "退出（张晓）" in page.inner_text("header")
    page.goto(f"{live_server.url}/orgs/mine/")
    assert "合肥星河测试科技有限公司" in page.content()
    # The role its 经办人 gave her (查看人): she is in the organisation but does not manage its people.
    assert page.goto(f"{live_server.url}/orgs/people/").status == 404
    shot(page, "1-legal-person-in")
    link = IdentityLink.objects.get(user=viewer)
    assert link.method == IdentityLink.Method.MEMBER_PHONE and link.issuer == oidc
    event = AuditEvent.objects.filter(action="login.oidc", outcome="success").get()
    assert event.username == "xinghe_zx" and event.detail["uscc"] == XINGHE_USCC
    assert provider_session(page, oidc) == "xinghe_zhang"

    # Logout ends the platform's session and the provider's (RP-initiated logout).
    page.goto(f"{live_server.url}/dashboard/")
    page.click("header button:has-text('退出')")
    page.wait_for_url(lambda url: url.startswith(f"{live_server.url}/") and "/dashboard/" not in url)
    assert provider_session(page, oidc) == "-"
    page.goto(f"{live_server.url}/dashboard/")
    assert "/accounts/login/" in page.url
    assert AuditEvent.objects.filter(action="logout.oidc", detail__provider_session_ended=True).exists()


@pytest.mark.django_db(transaction=True)
def test_first_login_of_an_unknown_organisation_starts_its_registration_with_the_code_locked(page, live_server, oidc):
    sign_in_at_provider(page, live_server.url, "xinrui_liu")
    page.wait_for_url(f"{live_server.url}/orgs/register/")
    assert page.locator("#id_uscc").is_disabled() and page.locator("#id_uscc").input_value() == NEW_USCC
    assert page.locator("#id_name").is_disabled() and page.locator("#id_name").input_value() == "合肥新锐智能科技有限公司"
    assert page.locator("#id_full_name").input_value() == "刘敏"
    assert page.locator("#id_password1").count() == 0  # signs in through the service: no password of ours
    shot(page, "2-registration-prefilled")
    page.select_option("#id_kind", "enterprise")
    page.check("#id_independent_legal_person_0")
    page.check("#id_agi_enterprise_0")
    page.fill("#id_address", "合肥市蜀山区望江西路 800 号")
    page.fill("#id_legal_representative", "周立")
    page.fill("#id_contact_phone", "0551-62999803")
    page.fill("#id_username", "xinrui_liu")
    page.check("#id_consent")
    page.click("button[type=submit]:has-text('同意并注册')")
    page.wait_for_url(f"{live_server.url}/orgs/mine/")
    shot(page, "3-registered")

    org = Organisation.objects.get(uscc=NEW_USCC)
    user = User.objects.get(username="xinrui_liu")
    assert user.organisation == org and user.membership.role == OrgRole.MANAGER
    assert not user.has_usable_password()
    assert IdentityLink.objects.get(user=user).method == IdentityLink.Method.REGISTRATION
    assert AuditEvent.objects.filter(action="oidc.link", username="xinrui_liu").exists()


@pytest.mark.django_db(transaction=True)
def test_personal_login_binds_a_staff_account_after_its_password_and_code(page, live_server, oidc):
    clerk = make_user("hefei_clerk", Role.CITY_CLERK, city_code="340100", full_name="王芳")
    totp_code(clerk)  # the clerk has an authenticator already

    sign_in_at_provider(page, live_server.url, "clerk_wang")
    page.wait_for_url(f"{live_server.url}/accounts/oidc/link/")
    page.fill("#id_username", "hefei_clerk")
    page.fill("#id_password", "Wrong#2026pw")
    page.fill("#id_token", totp_code(clerk))
    page.click("button:has-text('确认并绑定')")
    assert "用户名或密码不正确，未绑定" in page.inner_text(".error-summary")
    assert not IdentityLink.objects.exists()
    page.fill("#id_password", PASSWORD)
    page.fill("#id_token", "000000")
    page.click("button:has-text('确认并绑定')")
    assert "动态验证码不正确" in page.inner_text(".error-summary")
    assert not IdentityLink.objects.exists()
    shot(page, "4-link-refused")
    page.wait_for_timeout(2100)  # django-otp makes the next try wait after a wrong code (1 s, doubling)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_token", totp_code(clerk))
    page.click("button:has-text('确认并绑定')")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert IdentityLink.objects.get(user=clerk).method == IdentityLink.Method.PASSWORD

    # Next time the provider alone identifies her; as staff she still types her code.
    page.click("header button:has-text('退出')")
    page.wait_for_load_state()
    sign_in_at_provider(page, live_server.url, "clerk_wang")
    page.wait_for_selector("#id_token")
    assert "/accounts/otp/" in page.url
    assert "统一身份认证已确认您的身份" in page.content()
    page.fill("#id_token", totp_code(clerk))
    page.locator("#id_token").press("Enter")
    page.wait_for_url(lambda url: "/accounts/" not in url)
    refusals = AuditEvent.objects.filter(action="oidc.link", outcome="failure").order_by("id")
    assert [event.detail["reason"] for event in refusals] == ["password", "wrong"]  # the password, then the code
    assert AuditEvent.objects.filter(action="login.oidc", outcome="success", username="hefei_clerk").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_second_factor_asserted_by_the_provider_stands_for_the_code(page, live_server, oidc, settings):
    settings.OIDC_MFA_ACR = ["urn:anhui:loa:3"]
    province = make_user("province", Role.PROVINCE, full_name="赵刚")
    sign_in_at_provider(page, live_server.url, "province_zhao")
    page.wait_for_url(f"{live_server.url}/accounts/oidc/link/")
    page.fill("#id_username", "province")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_token", totp_code(province))
    page.click("button:has-text('确认并绑定')")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    page.click("header button:has-text('退出')")
    page.wait_for_load_state()

    sign_in_at_provider(page, live_server.url, "province_zhao")
    page.wait_for_url(f"{live_server.url}/dashboard/")  # no code page: the provider asserted acr level 3
    factor = IdentityProviderFactor.objects.get(user=province)
    assert "acr=urn:anhui:loa:3" in factor.name
    event = AuditEvent.objects.filter(action="login.oidc", outcome="success").order_by("-id").first()
    assert event.detail["second_factor"] == "acr=urn:anhui:loa:3" and event.detail["method"] == "bound"


def authorisation_url(page, base: str) -> str:
    """Where our sign-in link sends this browser: the provider's authorisation URL, with the state,
    nonce and PKCE challenge kept in this browser's session (the request shares its cookies)."""
    response = page.context.request.get(f"{base}/accounts/oidc/start/", max_redirects=0)
    assert response.status == 302
    return response.headers["location"]


def sign_in_at_provider_only(page, issuer: str, username: str) -> None:
    page.goto(issuer.removesuffix("/o") + "/login/?next=/whoami/")
    page.fill("#id_username", username)
    page.fill("#id_password", IDP_PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url("**/whoami/")


@pytest.mark.django_db(transaction=True)
def test_a_forged_state_is_refused(page, live_server, oidc):
    xinghe_with_members()
    sign_in_at_provider_only(page, oidc, "xinghe_zhang")
    answer = page.context.request.get(authorisation_url(page, live_server.url), max_redirects=0)
    callback = answer.headers["location"]  # the provider's answer: our callback with a code and the state
    assert callback.startswith(f"{live_server.url}/accounts/oidc/callback/?code=")

    page.goto(with_param(callback, "state", "forged-state"))
    assert "state 校验未通过" in page.inner_text(".error-summary")
    shot(page, "5-state-refused")
    assert not IdentityLink.objects.exists()
    page.goto(f"{live_server.url}/dashboard/")
    assert "/accounts/login/" in page.url
    assert AuditEvent.objects.filter(action="login.oidc", outcome="failure", detail__reason="state").exists()


@pytest.mark.django_db(transaction=True)
def test_a_forged_nonce_is_refused(page, live_server, oidc):
    xinghe_with_members()
    forged = with_param(authorisation_url(page, live_server.url), "nonce", "replayed-nonce")
    page.goto(forged)  # the provider signs an ID token for another nonce than this browser's
    page.fill("#id_username", "xinghe_zhang")
    page.fill("#id_password", IDP_PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_selector("h1:has-text('统一身份认证登录未成功')")
    assert "nonce" in page.inner_text(".error-summary")
    assert not IdentityLink.objects.exists()
    page.goto(f"{live_server.url}/dashboard/")
    assert "/accounts/login/" in page.url
    assert AuditEvent.objects.filter(action="login.oidc", outcome="failure", detail__reason="nonce").exists()
