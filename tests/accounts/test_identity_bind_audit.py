"""Binding a unified identity to an account and its audit row commit together: when the audit row
cannot be written, no binding is kept; an identity bound meanwhile is still refused, with the
refusal's own audit row."""

import pytest

from duixian.accounts import identity
from duixian.accounts.identity import IdentityError
from duixian.accounts.models import IdentityLink
from duixian.accounts.oidc import Identity
from duixian.audit.models import AuditEvent
from duixian.authz.roles import Role
from tests.audit.failing import AuditDown, audit_insert_fails
from tests.conftest import make_user

from .test_oidc import ISSUER, _request

pytestmark = pytest.mark.django_db


def test_a_binding_whose_audit_row_fails_is_not_kept(monkeypatch):
    user = make_user("xinghe_a", Role.PROVINCE)
    audit_insert_fails(monkeypatch, "oidc.link")
    with pytest.raises(AuditDown):
        identity._bind(_request(), user, Identity(ISSUER, "p-1", name="张晓"), IdentityLink.Method.PASSWORD)
    assert not IdentityLink.objects.exists()


def test_an_identity_bound_meanwhile_is_refused_and_the_refusal_audited():
    first, second = make_user("province_a", Role.PROVINCE), make_user("province_b", Role.PROVINCE)
    person = Identity(ISSUER, "p-1", name="张晓")
    identity._bind(_request(), first, person, IdentityLink.Method.PASSWORD)
    with pytest.raises(IdentityError) as refused:
        identity._bind(_request(), second, person, IdentityLink.Method.PASSWORD)
    assert refused.value.reason == "already_bound"
    assert IdentityLink.objects.get().user == first
    assert AuditEvent.objects.filter(action="login.oidc", outcome="failure", detail__reason="already_bound").count() == 1
    assert AuditEvent.objects.filter(action="oidc.link").count() == 1
