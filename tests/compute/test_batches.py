"""A subsidy run belongs to the batch whose pack set its period and units (issue 18 item 2)."""

import importlib

import pytest
from django.apps import apps as django_apps

from duixian.compute.models import SubsidyRun
from duixian.compute.services import subsidy_run
from duixian.policy.pack import default_pack

pytestmark = pytest.mark.django_db


def test_a_run_records_its_batch_and_old_runs_migrate_to_the_shipped_batch(users):
    run = subsidy_run(user=users["province"], orgs={})
    assert run.batch_id == default_pack().batch_id
    SubsidyRun.objects.update(batch_id="")
    importlib.import_module("duixian.compute.migrations.0005_subsidyrun_batch").to_shipped_batch(django_apps, None)
    assert SubsidyRun.objects.get().batch_id == default_pack().batch_id
