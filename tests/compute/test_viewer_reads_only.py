"""An organisation's 查看人 reads its compute-subsidy result but does not answer for it: confirming
or objecting speaks for the organisation (and closes its one chance to object), so only its
editors (经办人, 填报人) may; the viewer's page shows neither form and a POST is refused with why."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from duixian.compute.demo import SAMPLE
from duixian.compute.models import SubsidyObjection
from duixian.compute.services import metering_import, subsidy_run, subsidy_run_publish
from duixian.core.clock import SHANGHAI
from duixian.orgs.models import OrgMembership, OrgRole

pytestmark = pytest.mark.django_db

HEFEI = "91340100MA2RXH7Q95"


@pytest.fixture
def published(users):
    with time_machine.travel(datetime(2026, 5, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        metering_import(SAMPLE, original_name=SAMPLE.name)
        run = subsidy_run(user=users["province"])
        subsidy_run_publish(run, user=users["province"], last_day=date(2026, 5, 20))
        yield run


def _viewer(user):
    OrgMembership.objects.update_or_create(user=user, defaults={
        "organisation": user.organisation, "role": OrgRole.VIEWER, "active": True})
    return user


def test_a_viewer_sees_the_result_but_cannot_confirm_or_object(client, login, users, published):
    viewer = login(client, _viewer(users["hefei_applicant"]))
    page = viewer.get(reverse("compute:mine"))
    body = page.content.decode()
    assert page.status_code == 200 and "717.5" in body
    assert 'id="confirm-form"' not in body and 'id="object-form"' not in body
    assert "查看人" in body  # told why there is nothing to press
    refused = viewer.post(reverse("compute:mine_confirm"), {"batch": published.batch_id})
    assert refused.status_code == 403
    refused = viewer.post(reverse("compute:mine_object"), {"batch": published.batch_id, "reason": "不认可"})
    assert refused.status_code == 403
    result = published.results.get(uscc=HEFEI)
    assert result.response == "" and SubsidyObjection.objects.count() == 0
    assert viewer.get(reverse("compute:mine_statement")).status_code == 200  # reading stays open


def test_an_editor_still_confirms(client, login, users, published):
    OrgMembership.objects.update_or_create(user=users["hefei_applicant"], defaults={
        "organisation": users["hefei_applicant"].organisation, "role": OrgRole.EDITOR, "active": True})
    editor = login(client, users["hefei_applicant"])
    assert 'id="confirm-form"' in editor.get(reverse("compute:mine")).content.decode()
    assert editor.post(reverse("compute:mine_confirm"), {"batch": published.batch_id}).status_code == 302
    assert published.results.get(uscc=HEFEI).response == "confirmed"


def test_the_viewers_dashboard_does_not_ask_it_to_confirm(client, login, users, published):
    with time_machine.travel(datetime(2026, 5, 11, 9, 0, tzinfo=SHANGHAI), tick=False):
        viewer = login(client, _viewer(users["hefei_applicant"]))
        body = viewer.get(reverse("core:dashboard")).content.decode()
    assert reverse("compute:mine") in body  # the result is still linked
    assert "请确认或提出异议" not in body and "待本单位经办人或填报人确认" in body
