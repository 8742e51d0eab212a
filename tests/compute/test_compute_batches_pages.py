"""Compute pages with two batches open (issue 18): the page lists and starts the runs of the
`?batch=` batch, a run is computed over its own batch's project period, and its pages and files
read its own batch's pack."""

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from duixian.compute.demo import SAMPLE
from duixian.compute.models import ComputeJob, JobStatus, SubsidyRun
from duixian.compute.services import compute_job_execute, metering_import, subsidy_run
from duixian.core.clock import SHANGHAI
from duixian.policy.active import current_pack
from duixian.policy.services import pack_version_load
from tests.applications.conftest import at

FULL = Path(__file__).resolve().parents[1] / "policy" / "packs" / "made-up-2027-full.yaml"
OLD, NEW = "anhui-agi-2.0-2026", "made-up-2027-full"
UNITS = "\ncompute_units:\n  - {id: card_hour, name: 卡时, base: true}\n"

pytestmark = pytest.mark.django_db


def _load(users, text):
    pack_version_load(text, user=users["province"], note="（虚构）人才培训")
    assert current_pack().batch_id == NEW  # both open: the one opened last is the default


@pytest.fixture
def two_batches(users, time_machine):
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    metering_import(SAMPLE, original_name=SAMPLE.name)
    old_run = subsidy_run(user=users["province"], batch_id=OLD)
    text = FULL.read_text(encoding="utf-8")
    _load(users, text if "compute_units:" in text else text + UNITS)
    return old_run


def test_the_page_lists_and_starts_the_chosen_batchs_runs(client, login, users, two_batches):
    province = login(client, users["province"])
    new = province.get(reverse("compute:home")).content.decode()
    assert 'id="batch-selector"' in new and f'data-run="{two_batches.pk}"' not in new
    old = province.get(reverse("compute:home"), {"batch": OLD}).content.decode()
    assert f'data-run="{two_batches.pk}"' in old and "依据通知第三条“降低算力使用成本”" in old
    assert f'name="batch" value="{OLD}"' in old

    province.post(reverse("compute:run_start"), {"batch": NEW})
    job = ComputeJob.objects.get()
    assert job.batch_id == NEW
    compute_job_execute(job.pk, task_id=job.task_id)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    # the made-up notice's own project period, not 2026's 2025-08-16
    assert (job.run.batch_id, job.run.period_start.astimezone(SHANGHAI).date()) == (NEW, date(2025, 6, 1))
    assert two_batches.period_start.astimezone(SHANGHAI).date() == date(2025, 8, 16)
    assert f'data-run="{job.run.pk}"' in province.get(reverse("compute:home")).content.decode()
    assert f'data-run="{job.run.pk}"' not in province.get(reverse("compute:home"), {"batch": OLD}).content.decode()
    # each batch's latest run is its own: 2026's is still current and can be published
    page = province.get(reverse("compute:run", args=[two_batches.pk])).content.decode()
    assert province.post(reverse("compute:run_publish", args=[two_batches.pk]),
                         {"objection_last_day": "2026-05-20"}).status_code == 302, page
    assert SubsidyRun.objects.get(pk=two_batches.pk).published_at is not None


def test_a_batch_without_a_compute_subsidy_starts_no_run(client, login, users, time_machine):
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    text = FULL.read_text(encoding="utf-8")
    _load(users, text.replace("\ncompute_units:", "\nunused_compute_units:") if "compute_units:" in text else text)
    province = login(client, users["province"])
    response = province.post(reverse("compute:run_start"), {"batch": NEW}, follow=True)
    assert ComputeJob.objects.count() == 0 and "没有免申即享的算力补助" in response.content.decode()
