"""Starting a background import or subsidy run is one change: the job, its audit row, its queued
task and its progress are written together or not at all. A failed audit insert or a queue that
refuses the task leaves no job that never runs, no job without its audit row, and no uploaded file
behind (the province is told the press failed and can simply press again)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from duixian.audit.models import AuditEvent
from duixian.compute.demo import SAMPLE
from duixian.compute.models import ComputeJob
from duixian.ops.models import TaskProgress
from tests.audit.failing import AuditDown, audit_insert_fails

from .test_pages import _upload, frozen  # noqa: F401

pytestmark = pytest.mark.django_db


class QueueDown(RuntimeError):
    pass


def _queue_refuses(monkeypatch):
    def enqueue(*args, **kwargs):
        raise QueueDown("the task queue refused the task")

    monkeypatch.setattr(DatabaseBackend, "enqueue", enqueue)


def _nothing_started(action: str):
    assert ComputeJob.objects.count() == 0
    assert DBTaskResult.objects.count() == 0 and TaskProgress.objects.count() == 0
    assert not AuditEvent.objects.filter(action=action).exists()
    uploads = settings.METERING_ROOT / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


@pytest.mark.parametrize("failure", ["audit", "queue"])
def test_a_run_whose_audit_row_or_task_cannot_be_written_leaves_no_job(client, login, users, frozen, monkeypatch,  # noqa: F811
                                                                        failure):
    province = login(client, users["province"])
    if failure == "audit":
        audit_insert_fails(monkeypatch, "subsidy.run_start")
    else:
        _queue_refuses(monkeypatch)
    with pytest.raises(AuditDown if failure == "audit" else QueueDown):
        province.post(reverse("compute:run_start"))
    _nothing_started("subsidy.run_start")


@pytest.mark.parametrize("failure", ["audit", "queue"])
def test_an_import_whose_audit_row_or_task_cannot_be_written_leaves_no_job_and_no_file(
        client, login, users, frozen, monkeypatch, failure):  # noqa: F811
    province = login(client, users["province"])
    if failure == "audit":
        audit_insert_fails(monkeypatch, "metering.upload")
    else:
        _queue_refuses(monkeypatch)
    with pytest.raises(AuditDown if failure == "audit" else QueueDown):
        province.post(reverse("compute:upload"), {"file": _upload("计量.csv", SAMPLE.read_bytes())})
    _nothing_started("metering.upload")


def test_started_as_before_when_nothing_fails(client, login, users, frozen):  # noqa: F811
    province = login(client, users["province"])
    assert province.post(reverse("compute:upload"), {"file": _upload("计量.csv", SAMPLE.read_bytes())}).status_code == 302
    assert province.post(reverse("compute:run_start")).status_code == 302
    jobs = list(ComputeJob.objects.order_by("pk"))
    assert len(jobs) == 2 and all(job.task_id for job in jobs)
    assert DBTaskResult.objects.count() == 2 and TaskProgress.objects.count() == 2
    assert AuditEvent.objects.filter(action__in=["metering.upload", "subsidy.run_start"]).count() == 2
    assert len(list((settings.METERING_ROOT / "uploads").iterdir())) == 1
