"""Decisions, 公示 and subsidy runs belong to a batch (issue 18 item 2)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from duixian.decisions.models import Decision, Publication
from duixian.decisions.services import DecisionError, decision_approve, publication_create
from duixian.policy.pack import default_pack

pytestmark = pytest.mark.django_db

SHIPPED_BATCH = default_pack().batch_id


def test_decisions_and_the_publication_carry_their_batch(published):
    assert published.batch_id == SHIPPED_BATCH
    assert set(Decision.objects.values_list("batch_id", flat=True)) == {SHIPPED_BATCH}


def test_one_publication_lists_one_batch(recommended, users):
    province = users["province"]
    for app in recommended[:2]:
        decision_approve(app, amount="20", user=province, without_panel_reason="专家组线下评审")
    other = recommended[1]
    type(other).objects.filter(pk=other.pk).update(batch_id="made-up-2027")
    other.refresh_from_db()
    with pytest.raises(DecisionError, match="同一批次"):
        publication_create(applications=recommended[:2], working_days=5, title="混合批次的公示", user=province)
    assert not Publication.objects.exists()


def test_existing_rows_migrate_to_their_batch(published):
    """The data migration: a decision takes its application's batch, a 公示 its projects'."""
    Decision.objects.update(batch_id="")
    Publication.objects.update(batch_id="")
    migration = importlib.import_module("duixian.decisions.migrations.0004_decision_publication_batch")
    migration.to_their_batch(django_apps, None)
    assert set(Decision.objects.values_list("batch_id", flat=True)) == {SHIPPED_BATCH}
    assert Publication.objects.get().batch_id == SHIPPED_BATCH


def test_the_province_dashboard_is_per_batch(recommended, users, client, login):
    from pathlib import Path

    from duixian.policy.services import pack_version_load_file

    pack_version_load_file(Path(__file__).parents[1] / "policy" / "packs" / "made-up-2027.yaml")
    moved = recommended[2]  # 芜湖's, as if it belonged to the made-up 2027 batch
    type(moved).objects.filter(pk=moved.pk).update(batch_id="made-up-2027")
    login(client, users["province"])

    page = client.get("/decisions/").content.decode()  # the default batch: 2026
    assert 'id="batch-selector"' in page
    assert '<strong data-stat="amount_requested">44.00</strong>' in page  # 24 + 20, 合肥's two
    page = client.get("/decisions/?batch=made-up-2027").content.decode()
    assert '<strong data-stat="amount_requested">18.50</strong>' in page

    # The decision list and the 公示 form are of the chosen batch too.
    page = client.get("/decisions/applications/").content.decode()
    assert recommended[0].project_name in page and moved.project_name not in page
    page = client.get("/decisions/applications/?batch=made-up-2027").content.decode()
    assert moved.project_name in page and recommended[0].project_name not in page
    decision_approve(recommended[0], amount="24", user=users["province"], without_panel_reason="专家组线下评审")
    decision_approve(moved, amount="18.5", user=users["province"], without_panel_reason="专家组线下评审")
    page = client.get("/decisions/publications/").content.decode()
    assert recommended[0].project_name in page and moved.project_name not in page
    page = client.get("/decisions/publications/?batch=made-up-2027").content.decode()
    assert moved.project_name in page and recommended[0].project_name not in page
