"""Expert panels belong to a batch: the province forms them per batch (?batch=), each named by its
own batch's clause labels, and an application is given only to a panel of its own batch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from duixian.decisions.forms import AssignForm
from duixian.decisions.models import ExpertPanel
from duixian.decisions.services import DecisionError, assignment_create
from duixian.policy.pack import default_pack
from duixian.policy.services import pack_version_load_file
from tests.applications.conftest import signin

pytestmark = pytest.mark.django_db

SECOND = Path(__file__).parents[1] / "policy" / "packs" / "made-up-2027.yaml"
SHIPPED_BATCH = default_pack().batch_id


def clause_options(page: str) -> list[str]:
    select = page.split('name="panel-clause"')[1].split("</select>")[0]
    return re.findall(r'<option value="(\d+)"', select)


def test_panels_are_formed_and_labelled_per_batch(recommended, users, experts, panel, client):
    pack_version_load_file(SECOND)
    signin(client, users["province"])
    page = client.get("/decisions/review/?batch=made-up-2027").content.decode()
    # The made-up 2027 notice has no clause 五: its panel form does not offer it.
    assert clause_options(page) == ["2"]
    assert panel.name not in page  # the 2026 panel is not one of the 2027 batch's
    response = client.post("/decisions/review/?batch=made-up-2027", {
        "form": "panel", "panel-clause": "2", "panel-name": "第二条评比专家组", "panel-members": [experts[0].pk]})
    assert response.status_code == 302 and response["Location"] == "/decisions/review/?batch=made-up-2027"
    made_up = ExpertPanel.objects.get(batch_id="made-up-2027")
    assert panel.batch_id == SHIPPED_BATCH
    page = client.get(f"/decisions/review/?batch={SHIPPED_BATCH}").content.decode()
    assert clause_options(page) == ["2", "5"] and page.count("第二条评比专家组") == 1

    # A 2026 application is offered only the 2026 panel.
    values = [v for v, _ in AssignForm(application=recommended[0]).fields["member"].choices]
    assert f"{panel.pk}:{experts[0].pk}" in values and f"{made_up.pk}:{experts[0].pk}" not in values
    with pytest.raises(DecisionError):
        assignment_create(application=recommended[0], expert=experts[0], panel=made_up, user=users["province"])


def test_existing_panels_migrate_to_the_shipped_batch(panel):
    import importlib

    from django.apps import apps as django_apps

    ExpertPanel.objects.update(batch_id="")
    importlib.import_module("duixian.decisions.migrations.0006_expertpanel_batch").to_the_shipped_batch(
        django_apps, None)
    panel.refresh_from_db()
    assert panel.batch_id == SHIPPED_BATCH and panel.clause_label == "第二条 促进垂类模型应用"
