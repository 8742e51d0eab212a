"""Where the compute subsidy keeps its files.

- Objection attachments go through Django's storage API (`compute-objections/<random>` in the
  bucket when S3_BUCKET is set; InMemoryStorage stands in for it here), served only to the
  province and the organisation that objected, and carried by backup and restore.
- Metering Parquet files and queued uploads lie under METERING_ROOT (DuckDB reads local files),
  the folder the backup copies; never under MEDIA_ROOT.
"""

import importlib
import tarfile
from datetime import date
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from duixian.compute.models import MeteringImport, SubsidyObjection
from duixian.compute.services import metering_path, subsidy_result_breakdown
from tests.applications.test_object_storage import backup, bucket, media_files, objects, restore  # noqa: F401

from .test_pages import PNG, WUHU, _publish, _upload, frozen, run  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def _object(client, attachment=None):
    data = {"reason": "DEMO-2026-0001 由本单位自用，不应计为被使用量"}
    if attachment is not None:
        data["attachment"] = attachment
    return client.post(reverse("compute:mine_object"), data)


def test_objection_attachment_upload_download_backup_restore_through_the_bucket(
        bucket, client, login, users, run, tmp_path, settings):
    province = login(client, users["province"])
    assert _publish(province, run).status_code == 302
    wuhu = login(client.__class__(), users["wuhu_applicant"])
    refused = _object(wuhu, _upload("a.png", b"not a png"))
    assert refused.status_code == 400 and objects() == {}  # a refused file never reaches the bucket
    assert _object(wuhu, _upload("证明.png", PNG)).status_code == 302
    objection = SubsidyObjection.objects.get()
    assert objection.result.uscc == WUHU and objection.attachment.startswith("compute-objections/")
    assert objects() == {objection.attachment: PNG}
    url = reverse("compute:objection_attachment", args=[objection.pk])

    for allowed in (wuhu, province):
        response = allowed.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    hefei = login(client.__class__(), users["hefei_applicant"])  # another organisation
    assert hefei.get(url).status_code == 404

    made = backup(tmp_path)
    with tarfile.open(made, "r:gz") as archive:
        members = archive.getnames()
    assert f"storage/{objection.attachment}" in members
    imports = list(MeteringImport.objects.exclude(stored=""))
    assert imports and {f"metering/{metering_path(i.stored.name).name}" for i in imports} <= set(members)
    assert not [m for m in members if m.startswith("media/")]

    default_storage.delete(objection.attachment)
    assert wuhu.get(url).status_code == 404  # a row whose object is gone: 404, not a server error
    restore(made)
    assert objects() == {objection.attachment: PNG}
    wuhu = login(client.__class__(), users["wuhu_applicant"])
    assert b"".join(wuhu.get(url).streaming_content) == PNG
    result = SubsidyObjection.objects.get().result
    type(result).objects.filter(pk=result.pk).update(breakdown={})
    result.refresh_from_db()
    assert subsidy_result_breakdown(result)["uscc"] == WUHU  # DuckDB reads the restored Parquet files
    assert media_files(settings) == {}  # nothing was ever written under MEDIA_ROOT


def test_a_failed_row_leaves_no_orphan_in_the_bucket(bucket, client, login, users, run, monkeypatch):
    province = login(client, users["province"])
    assert _publish(province, run, date(2026, 5, 20)).status_code == 302
    wuhu = login(client.__class__(), users["wuhu_applicant"])

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("duixian.compute.services.audit_record", broken)
    with pytest.raises(RuntimeError):
        _object(wuhu, _upload("证明.png", PNG))
    assert not SubsidyObjection.objects.exists() and objects() == {}


def test_metering_files_lie_under_metering_root_only(run, settings):
    imports = list(MeteringImport.objects.exclude(stored=""))
    assert imports
    root = Path(settings.METERING_ROOT)
    for imp in imports:
        assert metering_path(imp.stored.name).parent == root and metering_path(imp.stored.name).is_file()
    assert not Path(settings.MEDIA_ROOT, "metering").exists()
    with pytest.raises(ValueError):
        metering_path("metering/../media/x.parquet")


def test_the_upgrade_moves_metering_files_from_media_root(settings):
    """Migration 0003: files MEDIA_ROOT/metering/ held before now lie under METERING_ROOT, names unchanged."""
    old = Path(settings.MEDIA_ROOT) / "metering"
    (old / "uploads").mkdir(parents=True)
    (old / "20260101-000000-abcd1234.parquet").write_bytes(b"PAR1 old")
    (old / "uploads" / "0f.csv").write_bytes(b"queued")
    root = Path(settings.METERING_ROOT)
    root.mkdir()
    (root / "20260102-000000-kept0000.parquet").write_bytes(b"PAR1 already here")
    (old / "20260102-000000-kept0000.parquet").write_bytes(b"PAR1 stale")
    migration = importlib.import_module("duixian.compute.migrations.0003_metering_files_to_metering_root")
    migration.move_files(None, None)
    assert metering_path("metering/20260101-000000-abcd1234.parquet").read_bytes() == b"PAR1 old"
    assert metering_path("metering/uploads/0f.csv").read_bytes() == b"queued"
    assert (root / "20260102-000000-kept0000.parquet").read_bytes() == b"PAR1 already here"
    assert not (old / "20260101-000000-abcd1234.parquet").exists()


def test_an_older_backup_with_metering_under_media_restores_into_metering_root(users, settings, tmp_path):
    """Backups made before the move carry media/metering/...; a restore puts them under METERING_ROOT."""
    old = Path(settings.MEDIA_ROOT) / "metering"
    old.mkdir(parents=True)
    (old / "20260101-000000-abcd1234.parquet").write_bytes(b"PAR1 old")
    made = backup(tmp_path)
    with tarfile.open(made, "r:gz") as archive:
        assert "media/metering/20260101-000000-abcd1234.parquet" in archive.getnames()
    restore(made)
    assert metering_path("metering/20260101-000000-abcd1234.parquet").read_bytes() == b"PAR1 old"
    assert not old.exists()


def test_import_and_run_by_a_worker_on_another_machine(client, login, users, frozen, settings, tmp_path):
    """Web and worker share only the database and METERING_ROOT: each has its own MEDIA_ROOT."""
    from duixian.compute.demo import SAMPLE
    from duixian.compute.models import ComputeJob, JobKind, JobStatus
    from duixian.compute.services import compute_job_execute

    web_media, worker_media = tmp_path / "web-media", tmp_path / "worker-media"
    settings.MEDIA_ROOT = web_media
    province = login(client, users["province"])
    assert province.post(reverse("compute:upload"), {"file": _upload("计量.csv", SAMPLE.read_bytes())}).status_code == 302
    assert province.post(reverse("compute:run_start")).status_code == 302

    settings.MEDIA_ROOT = worker_media  # what the worker machine sees
    for job in ComputeJob.objects.order_by("pk"):
        compute_job_execute(job.pk, task_id=job.task_id)
    imported, ran = ComputeJob.objects.order_by("pk")
    assert (imported.kind, imported.status) == (JobKind.IMPORT, JobStatus.SUCCEEDED), imported.message
    assert (ran.kind, ran.status) == (JobKind.RUN, JobStatus.SUCCEEDED), ran.message
    assert imported.metering_import.new_records == 30 and ran.run.records == 30

    settings.MEDIA_ROOT = web_media  # the province reviews on the web machine
    result = ran.run.results.get(uscc=WUHU)
    page = province.get(reverse("compute:result", args=[result.pk]))
    assert page.status_code == 200 and "按月份" in page.content.decode()
    assert not web_media.exists() or not any(web_media.rglob("*.*"))
    assert not worker_media.exists() or not any(worker_media.rglob("*.*"))
