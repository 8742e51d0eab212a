"""An organisation's 查看人 may not start an application (application.create): its dashboard does
not offer 新建申报, and opening the page anyway says why (403 with the 查看人 reason) instead of
the 404 'not found' that hides a page from those who must not learn it exists."""

import pytest
from django.urls import reverse

from duixian.orgs.models import OrgMembership, OrgRole
from tests.applications.conftest import at

pytestmark = pytest.mark.django_db


def test_a_viewer_is_not_offered_a_new_application_and_is_told_why(client, login, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    user = users["hefei_applicant"]
    OrgMembership.objects.update_or_create(user=user, defaults={
        "organisation": user.organisation, "role": OrgRole.VIEWER, "active": True})
    login(client, user)
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("applications:new") not in dashboard
    assert reverse("applications:list") in dashboard  # reading stays
    refused = client.get(reverse("applications:new"))
    assert refused.status_code == 403
    assert client.post(reverse("applications:new"), {"choice": "2", "project_name": "x"}).status_code == 403


def test_an_editor_is_offered_it(client, login, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    login(client, users["hefei_applicant"])
    assert reverse("applications:new") in client.get(reverse("core:dashboard")).content.decode()
    assert client.get(reverse("applications:new")).status_code == 200


def test_other_roles_still_get_404(client, login, users):
    login(client, users["hefei_clerk"])
    assert client.get(reverse("applications:new")).status_code == 404
