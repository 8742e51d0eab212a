"""Undoing a unified identity binding (issue 21 review): the holder sees whose identity is bound
and removes it; a password change or reset removes the bindings someone holding the old password
could have made; the system administrator sees and removes an account's bindings. Each audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from duixian.accounts import identity
from duixian.accounts.models import IdentityLink
from duixian.accounts.oidc import Identity
from duixian.authz.roles import Role
from duixian.audit.models import AuditEvent
from duixian.orgs.models import OrgMembership, OrgRole
from tests.accounts.test_oidc import ISSUER, _request
from tests.conftest import PASSWORD, make_org, make_user

NEW_PASSWORD = "Anhui#2027new"
STRANGER = Identity(ISSUER, "340100199001011234abcd", name="王五", phone="13955117788")


@pytest.fixture
def configured(settings):
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "duixian", "secret"
    settings.OIDC_PROVIDER_NAME = "皖事通统一身份认证"
    return settings


@pytest.fixture
def applicant(db):
    org = make_org("91340100MA2RXH7Q95", "合肥星河测试科技有限公司", "340100")
    user = make_user("xinghe_a", Role.APPLICANT, organisation=org)
    OrgMembership.objects.create(user=user, organisation=org, role=OrgRole.MANAGER)
    return user


def _bind_with_password(user, person=STRANGER):
    """What anyone who knows the account's password can do: bind their own identity to it."""
    identity.identity_link(_request(), person, "id-token", username=user.username, password=PASSWORD)
    return IdentityLink.objects.get(subject=person.subject)


def test_the_security_page_says_whose_identity_is_bound_and_when_it_was_last_used(client, configured, applicant):
    _bind_with_password(applicant)
    identity.identity_arrived(_request(), STRANGER, "id-token")  # a later sign-in through the binding
    client.force_login(applicant)
    page = client.get("/accounts/security/").content.decode()
    assert "皖事通统一身份认证" in page and "王五" in page
    assert "****7788" in page and "13955117788" not in page  # the phone, masked
    assert "3401****abcd" in page and STRANGER.subject not in page  # the subject, masked
    assert "绑定时间" in page and "最近使用" in page
    assert "解除绑定" in page


def test_the_holder_removes_a_binding_after_confirming_and_it_no_longer_signs_in(client, configured, applicant):
    link = _bind_with_password(applicant)
    client.force_login(applicant)
    url = f"/accounts/security/identity/{link.pk}/unlink/"
    confirm = client.get(url).content.decode()
    assert "确认解除绑定" in confirm and "王五" in confirm and "csrfmiddlewaretoken" in confirm
    assert IdentityLink.objects.filter(pk=link.pk).exists()  # showing the question removes nothing
    response = client.post(url, follow=True)
    assert "已解除与 王五" in response.content.decode()
    assert not IdentityLink.objects.filter(pk=link.pk).exists()
    event = AuditEvent.objects.get(action="oidc.unlink")
    assert event.username == applicant.username and event.detail["subject"] == STRANGER.subject and event.detail["reason"] == "holder"
    assert identity.identity_arrived(_request(), STRANGER, "id-token") == "link"  # no longer signs in as the account


def test_removing_a_binding_signs_out_whoever_signed_in_through_it(client, configured, applicant):
    from django.contrib.sessions.models import Session

    link = _bind_with_password(applicant)
    strangers_browser = _request()
    identity.identity_arrived(strangers_browser, STRANGER, "id-token")
    strangers_browser.session.save()
    client.force_login(applicant)  # the holder, signed in with the password
    client.post(f"/accounts/security/identity/{link.pk}/unlink/")
    assert not Session.objects.filter(session_key=strangers_browser.session.session_key).exists()
    assert client.get("/accounts/security/").status_code == 200  # the holder stays signed in


def test_nobody_removes_another_accounts_binding(client, configured, applicant):
    link = _bind_with_password(applicant)
    client.force_login(make_user("other", Role.APPLICANT, organisation=applicant.organisation))
    assert client.post(f"/accounts/security/identity/{link.pk}/unlink/").status_code == 404
    assert IdentityLink.objects.filter(pk=link.pk).exists()


def test_an_account_without_a_password_keeps_its_only_way_in(client, configured, applicant):
    applicant.set_unusable_password()
    applicant.save()
    link = IdentityLink.objects.create(user=applicant, issuer=ISSUER, subject="p-reg", method=IdentityLink.Method.REGISTRATION)
    client.force_login(applicant)
    page = client.post(f"/accounts/security/identity/{link.pk}/unlink/", follow=True).content.decode()
    assert "您的账号没有本平台密码，这是唯一的登录方式，不能解除" in page
    assert IdentityLink.objects.filter(pk=link.pk).exists()
    assert AuditEvent.objects.get(action="oidc.unlink").outcome == "failure"


def test_changing_the_password_removes_the_bindings_made_with_the_old_one(client, configured, applicant):
    stranger = _bind_with_password(applicant)
    registered = IdentityLink.objects.create(user=applicant, issuer=ISSUER, subject="p-reg",
                                             method=IdentityLink.Method.REGISTRATION)
    client.force_login(applicant)
    page = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                               "new_password2": NEW_PASSWORD}, follow=True).content.decode()
    assert "以下统一身份认证绑定已解除" in page and "王五" in page
    assert not IdentityLink.objects.filter(pk=stranger.pk).exists()
    assert IdentityLink.objects.filter(pk=registered.pk).exists()  # the identity that registered the account stays
    event = AuditEvent.objects.get(action="oidc.unlink")
    assert event.detail["reason"] == "password_change" and event.detail["subject"] == STRANGER.subject


def test_a_password_reset_removes_them_too(client, configured, applicant):
    _bind_with_password(applicant)
    applicant.refresh_from_db()  # the binding signed in: the link is made after that, as it would be
    url = (f"/accounts/password/set/{urlsafe_base64_encode(force_bytes(applicant.pk))}/"
           f"{default_token_generator.make_token(applicant)}/")
    form_url = client.get(url).url  # Django moves the token into the session
    page = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
                       follow=True).content.decode()
    assert "以下统一身份认证绑定已解除" in page and "王五" in page
    assert not IdentityLink.objects.filter(user=applicant).exists()
    assert AuditEvent.objects.get(action="oidc.unlink").detail["reason"] == "password_reset"


def test_the_system_administrator_sees_and_removes_an_accounts_binding(client, configured, applicant):
    link = _bind_with_password(applicant)
    admin = make_user("sysadmin", Role.SYSTEM_ADMIN)
    client.force_login(admin)
    page = client.get(f"/accounts/manage/users/{applicant.pk}/").content.decode()
    assert "王五" in page and "****7788" in page and "解除绑定" in page
    response = client.post(f"/accounts/manage/users/{applicant.pk}/identity/{link.pk}/unlink/", follow=True)
    assert "已解除与 王五" in response.content.decode()
    assert not IdentityLink.objects.filter(pk=link.pk).exists()
    event = AuditEvent.objects.get(action="oidc.unlink")
    assert event.username == admin.username and event.detail["reason"] == "administrator"
