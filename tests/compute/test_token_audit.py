"""`duixian token issue` and `revoke` and their audit rows commit together: when the audit row
cannot be written, no token is issued (none printed) and none is revoked."""

import io

import pytest
from django.core.management import call_command

from duixian.api.models import MachineToken
from tests.audit.failing import AuditDown, audit_insert_fails

pytestmark = pytest.mark.django_db


def test_an_issue_whose_audit_row_fails_issues_nothing(monkeypatch):
    audit_insert_fails(monkeypatch, "api_token.issue")
    out = io.StringIO()
    with pytest.raises(AuditDown):
        call_command("token", "issue", "省级智能算力统筹调度平台", "--scope", "metering:write", stdout=out)
    assert not MachineToken.objects.exists() and out.getvalue() == ""


def test_a_revocation_whose_audit_row_fails_revokes_nothing(monkeypatch):
    token, _raw = MachineToken.issue("省级智能算力统筹调度平台", "metering:write")
    audit_insert_fails(monkeypatch, "api_token.revoke")
    with pytest.raises(AuditDown):
        call_command("token", "revoke", "省级智能算力统筹调度平台", stdout=io.StringIO())
    token.refresh_from_db()
    assert token.revoked_at is None
