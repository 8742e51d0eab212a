"""Review of issue 16: a credential in a URL never reaches the audit trail or the log.

An invitation link (/orgs/join/<token>/) is a credential: whoever holds it joins the organisation
and reads its applications. When a POST to it is refused by the rate limit, the refusal was
audited with the full path, so the audit administrator (who may only read the trail) could copy a
still-valid token from /audit/ and join — a way into application contents for one person."""

import logging

import pytest
from django.test import Client

from duixian.audit.models import AuditEvent
from duixian.orgs.models import OrgMembership, OrgRole
from duixian.orgs.services import invitation_create

pytestmark = pytest.mark.django_db


def test_a_refused_invitation_post_records_no_token(users, hefei_org, settings, caplog):
    manager = users["hefei_applicant"]
    OrgMembership.objects.create(user=manager, organisation=hefei_org, role=OrgRole.MANAGER)
    _invitation, token = invitation_create(hefei_org, OrgRole.EDITOR, user=manager)
    settings.RATE_LIMIT_JOIN = "1/m"
    visitor = Client()
    with caplog.at_level(logging.WARNING):
        visitor.post(f"/orgs/join/{token}/", {})
        refused = visitor.post(f"/orgs/join/{token}/", {})
    assert refused.status_code == 429
    event = AuditEvent.objects.get(action="ratelimit.refused")
    assert token not in str(event.detail) and token not in event.object_id
    assert event.detail["path"] == "/orgs/join/…/"
    assert token not in caplog.text
