"""A legal-person login lands in a member's account by phone only when the provider says that phone
is verified: a provider that marks it `phone_number_verified: false` (a number the person typed in
their profile) must not hand them someone else's account."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from duixian.accounts import identity
from duixian.accounts.models import IdentityLink
from duixian.accounts.oidc import identity_from_claims
from duixian.authz.roles import Role
from duixian.orgs.models import OrgMembership, OrgRole
from tests.conftest import make_org, make_user

ISSUER = "https://ids.example.gov.cn/oidc"
USCC = "91340100MA2RXH7Q95"


@pytest.fixture
def manager(settings, db):
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "duixian", "secret"
    org = make_org(USCC, "合肥星河测试科技有限公司", "340100")
    user = make_user("xinghe_jbr", Role.APPLICANT, organisation=org, phone="13155113928")
    OrgMembership.objects.create(user=user, organisation=org, role=OrgRole.MANAGER)
    return user


def _request():
    request = RequestFactory().get("/accounts/oidc/callback/")
    request.session, request.user = SessionStore(), AnonymousUser()
    return request


def _claims(**more):
    return {"iss": ISSUER, "sub": "p-7", "name": "王五", "phone_number": "13155113928", "uscc": USCC, **more}


@pytest.mark.parametrize("verified", [False, "false", 0])
def test_an_unverified_phone_does_not_sign_in_as_the_member_with_that_phone(manager, verified):
    request = _request()
    person = identity_from_claims(_claims(phone_number_verified=verified))
    assert identity.identity_arrived(request, person, "id-token") == "link"  # the account's password, once
    assert "_auth_user_id" not in request.session
    assert not IdentityLink.objects.exists()


def test_a_verified_phone_signs_in_as_the_member(manager):
    request = _request()
    person = identity_from_claims(_claims(phone_number_verified=True))
    assert identity.identity_arrived(request, person, "id-token") == "signed_in"
    assert IdentityLink.objects.get().user == manager


def test_the_verified_flag_follows_the_configured_phone_claim(manager, settings):
    settings.OIDC_CLAIM_PHONE = "sjhm"
    claims = {"iss": ISSUER, "sub": "p-7", "sjhm": "13155113928", "sjhm_verified": False, "uscc": USCC}
    assert identity.identity_arrived(_request(), identity_from_claims(claims), "id-token") == "link"
