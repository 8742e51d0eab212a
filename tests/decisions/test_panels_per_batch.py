"""Expert panels belong to a batch: the province forms them per batch (?batch=), each named by its
own batch's clause labels, and an application is given only to a panel of its own batch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from duixian.decisions.forms import AssignForm
from duixian.decisions.models import ExpertPanel
from duixian.decisions.services import DecisionError, assignment_create, panel_create
from duixian.policy.pack import default_pack
from duixian.policy.services import pack_version_load_file
from tests.applications.conftest import signin

pytestmark = pytest.mark.django_db

SECOND = Path(__file__).parents[1] / "policy" / "packs" / "made-up-2027.yaml"
FULL = Path(__file__).parents[1] / "policy" / "packs" / "made-up-2027-full.yaml"
SHIPPED_BATCH = default_pack().batch_id


def clause_options(page: str) -> list[str]:
    select = page.split('name="panel-clause"')[1].split("</select>")[0]
    return re.findall(r'<option value="(\d+)"', select)


def test_panels_are_formed_and_labelled_per_batch(recommended, users, experts, panel, client):
    pack_version_load_file(FULL)
    signin(client, users["province"])
    page = client.get("/decisions/review/?batch=made-up-2027-full").content.decode()
    # The made-up notice's pack has one scoring sheet, for its new 第六条: only that clause is offered,
    # and the page shows that sheet, not 2026's.
    assert clause_options(page) == ["6"]
    assert "虚构第六条 人才培训 评审评分表" in page and "场景应用标杆 评比评分表" not in page
    assert panel.name not in page  # the 2026 panel is not one of the made-up batch's
    response = client.post("/decisions/review/?batch=made-up-2027-full", {
        "form": "panel", "panel-clause": "6", "panel-name": "人才培训专家组", "panel-members": [experts[0].pk]})
    assert response.status_code == 302 and response["Location"] == "/decisions/review/?batch=made-up-2027-full"
    made_up = ExpertPanel.objects.get(batch_id="made-up-2027-full")
    assert made_up.clause == "6" and panel.batch_id == SHIPPED_BATCH
    page = client.get(f"/decisions/review/?batch={SHIPPED_BATCH}").content.decode()
    assert clause_options(page) == ["2", "5"] and "人才培训专家组" not in page
    assert "2025年度绩效评价评分表" in page and "虚构第六条" not in page

    # A 2026 application is offered only the 2026 panel.
    values = [v for v, _ in AssignForm(application=recommended[0]).fields["member"].choices]
    assert f"{panel.pk}:{experts[0].pk}" in values and f"{made_up.pk}:{experts[0].pk}" not in values
    with pytest.raises(DecisionError):
        assignment_create(application=recommended[0], expert=experts[0], panel=made_up, user=users["province"])


def test_a_batch_whose_pack_has_no_scoring_sheet_has_no_expert_review(users, experts, client):
    """A pack without `scoring_sheets` (another batch than the shipped one) has no expert step:
    no clause is offered for a panel, the page says why, and the service refuses one."""
    pack_version_load_file(SECOND)
    signin(client, users["province"])
    page = client.get("/decisions/review/?batch=made-up-2027").content.decode()
    assert clause_options(page) == [] and "本批次的政策包没有评分表" in page
    with pytest.raises(DecisionError, match="没有专家评审环节"):
        panel_create(batch_id="made-up-2027", clause="2", name="第二条评比专家组", members=[experts[0]],
                     user=users["province"])
    assert not ExpertPanel.objects.filter(batch_id="made-up-2027").exists()


def test_existing_panels_migrate_to_the_shipped_batch(panel):
    import importlib

    from django.apps import apps as django_apps

    ExpertPanel.objects.update(batch_id="")
    importlib.import_module("duixian.decisions.migrations.0006_expertpanel_batch").to_the_shipped_batch(
        django_apps, None)
    panel.refresh_from_db()
    assert panel.batch_id == SHIPPED_BATCH and panel.clause_label == "第二条 促进垂类模型应用"
