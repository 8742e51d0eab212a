"""The unified identity sign-in (issue 21) without a provider: what the sign-in page shows, the
roles that must use the service, the claims' names, and what a verified identity becomes.
The flows through a real provider are in test_oidc_browser.py."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from duixian.accounts import identity
from duixian.accounts.models import IdentityLink
from duixian.accounts.oidc import Identity, OidcError, identity_from_claims
from duixian.authz.roles import Role
from duixian.audit.models import AuditEvent
from duixian.orgs.models import OrgMembership, OrgRole, OrgStatus
from tests.conftest import PASSWORD, make_org, make_user

ISSUER = "https://ids.example.gov.cn/oidc"


@pytest.fixture
def configured(settings):
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "duixian", "secret"
    return settings


def test_without_a_provider_the_sign_in_page_is_the_password_form_alone(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "统一身份认证" not in page
    assert client.get("/accounts/oidc/start/").status_code == 404


def test_with_a_provider_the_sign_in_page_offers_it_beside_the_password(client, db, configured):
    configured.OIDC_PROVIDER_NAME = "皖事通统一身份认证"
    page = client.get("/accounts/login/?next=/applications/").content.decode()
    assert "通过皖事通统一身份认证登录" in page
    assert 'href="/accounts/oidc/start/?next=/applications/"' in page
    assert 'id="id_password"' in page  # local passwords stay


@pytest.mark.django_db
def test_a_role_required_to_use_the_service_cannot_sign_in_with_its_password(client, configured):
    configured.OIDC_REQUIRED_ROLES = ["city_clerk"]
    make_user("hefei_clerk", Role.CITY_CLERK, city_code="340100")
    response = client.post("/accounts/login/", {"username": "hefei_clerk", "password": PASSWORD})
    assert "您的角色须通过统一身份认证登录，不能使用本平台密码登录" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login", outcome="failure", detail__reason="unified_identity_required").exists()
    make_user("province", Role.PROVINCE)  # a role not listed still signs in with its password
    assert client.post("/accounts/login/", {"username": "province", "password": PASSWORD}).status_code == 302


def test_claims_are_read_under_the_configured_names(settings):
    settings.OIDC_CLAIM_USCC, settings.OIDC_CLAIM_NAME, settings.OIDC_CLAIM_PHONE = "tyshxydm", "xm", "sjhm"
    settings.OIDC_CLAIM_SUBJECT = "user_id"
    person = identity_from_claims({"iss": ISSUER, "sub": "legal-account-1", "user_id": "p-42", "xm": "张晓",
                                   "sjhm": "13155113928", "tyshxydm": "91340100ma2rxh7q95"})
    assert (person.subject, person.name, person.phone, person.uscc) == ("p-42", "张晓", "13155113928", "91340100MA2RXH7Q95")
    assert person.legal_person
    with pytest.raises(OidcError) as refused:
        identity_from_claims({"iss": ISSUER, "sub": "x"})
    assert refused.value.reason == "no_subject" and "身份标识" in refused.value.message


def test_only_the_configured_acr_and_amr_count_as_a_second_factor(settings):
    settings.OIDC_MFA_ACR, settings.OIDC_MFA_AMR = ["loa3"], ["otp"]
    assert Identity(ISSUER, "s", acr="loa3").second_factor == "acr=loa3"
    assert Identity(ISSUER, "s", acr="loa1", amr=("pwd", "otp")).second_factor == "amr=otp"
    assert Identity(ISSUER, "s", acr="loa1", amr=("pwd",)).second_factor == ""


def _request():
    request = RequestFactory().get("/accounts/oidc/callback/")
    request.session = SessionStore()
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


@pytest.mark.django_db
def test_a_legal_person_login_matching_two_members_by_phone_waits_for_a_password(configured):
    org = make_org("91340100MA2RXH7Q95", "合肥星河测试科技有限公司", "340100")
    for username in ("a", "b"):
        user = make_user(f"xinghe_{username}", Role.APPLICANT, organisation=org, phone="13155113928")
        OrgMembership.objects.create(user=user, organisation=org, role=OrgRole.EDITOR)
    request = _request()
    person = Identity(ISSUER, "p-1", name="张晓", phone="13155113928", uscc=org.uscc)
    assert identity.identity_arrived(request, person, "id-token") == "link"
    assert identity.pending(request)[0] == person
    assert not IdentityLink.objects.exists()


@pytest.mark.django_db
def test_a_waiting_identity_is_forgotten_after_15_real_minutes_whatever_the_demo_clock(configured, time_machine):
    """docs/decisions/one-clock.md: the wait is a security window in real time, like the session."""
    from datetime import datetime, timedelta

    from duixian.core import clock

    configured.DEMO_MODE = True
    time_machine.move_to(datetime(2026, 12, 7, 10, 0, tzinfo=clock.SHANGHAI), tick=False)
    request = _request()
    person = Identity(ISSUER, "p-1", name="张晓", uscc="91340100MA2RXH7Q95")
    assert identity.identity_arrived(request, person, "id-token") == "register"
    clock.set_demo_time(datetime(2026, 4, 20, 10, 0, tzinfo=clock.SHANGHAI))  # months back
    time_machine.shift(timedelta(minutes=14))
    assert identity.pending(request)[0] == person
    time_machine.shift(timedelta(minutes=2))
    assert identity.pending(request) is None


@pytest.mark.django_db
def test_a_member_of_an_unconfirmed_organisation_is_not_matched_by_phone(configured):
    org = make_org("91340100MA2RXH7Q95", "合肥星河测试科技有限公司", "340100")
    org.status = OrgStatus.PENDING
    org.save()
    user = make_user("xinghe_a", Role.APPLICANT, organisation=org, phone="13155113928")
    OrgMembership.objects.create(user=user, organisation=org, role=OrgRole.MANAGER)
    person = Identity(ISSUER, "p-1", phone="13155113928", uscc=org.uscc)
    assert identity.identity_arrived(_request(), person, "id-token") == "link"


@pytest.mark.django_db
def test_a_bound_account_is_refused_for_another_organisations_legal_person_login(configured):
    xinghe = make_org("91340100MA2RXH7Q95", "合肥星河测试科技有限公司", "340100")
    wuhu = make_org("91340200MA2N8K3L1T", "芜湖测试科技有限公司", "340200")
    user = make_user("xinghe_a", Role.APPLICANT, organisation=xinghe)
    OrgMembership.objects.create(user=user, organisation=xinghe, role=OrgRole.MANAGER)
    IdentityLink.objects.create(user=user, issuer=ISSUER, subject="p-1", method=IdentityLink.Method.PASSWORD)
    with pytest.raises(identity.IdentityError) as refused:
        identity.identity_arrived(_request(), Identity(ISSUER, "p-1", uscc=wuhu.uscc), "id-token")
    assert "不是您本平台账号所属的单位" in refused.value.message
    event = AuditEvent.objects.get(action="login.oidc")
    assert event.outcome == "failure" and event.detail["reason"] == "other_organisation"


@pytest.mark.django_db
def test_an_invalid_code_from_the_provider_is_refused(configured):
    with pytest.raises(identity.IdentityError) as refused:
        identity.identity_arrived(_request(), Identity(ISSUER, "p-1", uscc="91340100MA2RXH7Q9X"), "id-token")
    assert "统一社会信用代码无效" in refused.value.message


@pytest.mark.django_db
def test_the_callback_without_a_login_started_here_is_refused_in_chinese(client, configured):
    response = client.get("/accounts/oidc/callback/?code=abc&state=forged")
    # The provider's metadata is never fetched: the state is checked against the session first.
    assert response.status_code == 400
    assert "state 校验未通过" in response.content.decode()
    assert AuditEvent.objects.filter(action="login.oidc", outcome="failure", detail__reason="state").exists()


def test_a_half_set_provider_configuration_stops_start_up(settings):
    from duixian.accounts.checks import oidc_over_https, oidc_settings_complete

    assert oidc_settings_complete(None) == []  # not configured: nothing to check
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "http://ids.example/o", "duixian", ""
    settings.OIDC_REQUIRED_ROLES, settings.OIDC_SCOPES = ["city_clerk", "clerk"], "profile phone"
    assert [e.id for e in oidc_settings_complete(None)] == [
        "duixian.accounts.E001", "duixian.accounts.E002", "duixian.accounts.E003"]
    assert [w.id for w in oidc_over_https(None)] == ["duixian.accounts.W001"]


@pytest.mark.django_db
def test_registration_through_the_service_keeps_the_asserted_code_whatever_is_posted(client, configured):
    from duixian.orgs.consent import CONSENT_VERSION
    from duixian.orgs.models import Organisation
    from tests.orgs.test_registration import HEFEI_USCC

    person = Identity(ISSUER, "p-9", name="刘敏", phone="13155113929", uscc=HEFEI_USCC, org_name="合肥新锐智能科技有限公司")
    session = client.session
    session[identity.PENDING_SESSION_KEY] = {"identity": person.as_session(), "id_token": "id-token", "at": __import__("time").time()}
    session.save()
    response = client.post("/orgs/register/", {
        "uscc": "91340200MA2N8K3L1T", "name": "别的公司", "kind": "enterprise", "independent_legal_person": "true",
        "agi_enterprise": "true", "address": "合肥市蜀山区望江西路 800 号", "legal_representative": "周立",
        "contact_phone": "0551-62999803", "username": "xinrui_liu", "full_name": "刘敏", "phone": "13155113929",
        "consent": "on", "consent_version": CONSENT_VERSION})
    assert response.status_code == 302, response.content.decode()[:2000]
    org = Organisation.objects.get()
    assert (org.uscc, org.name) == (HEFEI_USCC, "合肥新锐智能科技有限公司")  # locked: the posted ones are ignored
    link = IdentityLink.objects.get()
    assert (link.user.username, link.subject, link.method) == ("xinrui_liu", "p-9", IdentityLink.Method.REGISTRATION)
    assert client.session["_auth_user_id"] == str(link.user.pk)
    assert identity.PENDING_SESSION_KEY not in client.session


@pytest.mark.django_db
def test_the_security_page_shows_the_binding_and_no_password_to_change(client, configured):
    org = make_org("91340100MA2RXH7Q95", "合肥星河测试科技有限公司", "340100")
    user = make_user("xinghe_a", Role.APPLICANT, organisation=org)
    user.set_unusable_password()
    user.save()
    OrgMembership.objects.create(user=user, organisation=org, role=OrgRole.MANAGER)
    IdentityLink.objects.create(user=user, issuer=ISSUER, subject="p-1", method=IdentityLink.Method.REGISTRATION)
    client.force_login(user)
    page = client.get("/accounts/security/").content.decode()
    assert "已绑定" in page and "通过统一身份认证注册单位" in page
    assert "没有本平台密码" in page and "修改密码" not in page
