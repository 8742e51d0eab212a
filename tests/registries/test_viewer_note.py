"""A registry note speaks for the organisation to its city's clerks, so an organisation's 查看人
(who only reads) is not offered the note form and its POST stores nothing (403, with why)."""

import pytest

from duixian.applications.services import application_create
from duixian.orgs.models import OrgMembership, OrgRole
from duixian.registries.models import RegistryNote
from tests.applications.conftest import at

pytestmark = pytest.mark.django_db


def test_a_viewer_reads_the_check_but_adds_no_note(client, users, login, time_machine):
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    user = users["hefei_applicant"]
    draft = application_create(user=user, clause="2", project_name="查看人说明测试")
    OrgMembership.objects.update_or_create(user=user, defaults={
        "organisation": user.organisation, "role": OrgRole.VIEWER, "active": True})
    login(client, user)
    page = client.get(f"/registries/applications/{draft.pk}/")
    assert page.status_code == 200 and 'name="text"' not in page.content.decode()
    refused = client.post(f"/registries/applications/{draft.pk}/", {"fact": "", "text": "以本单位名义的说明"})
    assert refused.status_code == 403
    assert RegistryNote.objects.count() == 0
