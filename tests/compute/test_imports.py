"""Metering imports (all-or-nothing, idempotent on record_id), subsidy runs and the push API."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from duixian.audit.models import AuditEvent
from duixian.compute.metering import MeteringError
from duixian.compute.models import MeteringImport, RunStatus, SubsidyRun
from duixian.compute.selectors import subsidy_run_current
from duixian.compute.services import metering_import, subsidy_run

from .util import A, B, U, job, org, write_csv, write_parquet_typed

pytestmark = pytest.mark.django_db

FIRST = [job("1", A, B, "10"), job("2", B, A, "2.5"), job("3", U, B, "1", purpose="business")]
ORGS = {o.uscc: o for o in (org(A), org(B), org(U, "university", agi=None))}


def stored_files() -> list[Path]:
    root = Path(settings.METERING_ROOT)  # the folder `duixian backup` copies, never MEDIA_ROOT
    return sorted(root.glob("*.parquet")) if root.exists() else []


def test_import_stores_new_records_as_parquet(tmp_path):
    imp = metering_import(write_csv(tmp_path / "m.csv", FIRST + [FIRST[0]]), original_name="一月.csv")
    assert (imp.rows_in_file, imp.new_records, imp.already_present, imp.repeats_in_file) == (4, 3, 0, 1)
    assert len(imp.sha256) == 64 and imp.original_name == "一月.csv"
    assert stored_files() == [Path(settings.METERING_ROOT) / Path(imp.stored.name).name]
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.parquet"))
    assert AuditEvent.objects.filter(action="metering.import", outcome="success").count() == 1


def test_reimport_changes_nothing(tmp_path):
    path = write_csv(tmp_path / "m.csv", FIRST)
    metering_import(path)
    before = stored_files()
    again = metering_import(path)
    assert (again.new_records, again.already_present) == (0, 3)
    assert again.stored.name == "" and stored_files() == before
    # the same records as typed Parquet are the same records too
    typed = metering_import(write_parquet_typed(tmp_path / "m.parquet", FIRST))
    assert typed.new_records == 0 and stored_files() == before


def test_overlapping_import_adds_only_new_records(tmp_path):
    metering_import(write_csv(tmp_path / "a.csv", FIRST))
    imp = metering_import(write_csv(tmp_path / "b.csv", [FIRST[1], job("4", A, B, "1")]))
    assert (imp.new_records, imp.already_present) == (1, 1)
    run = subsidy_run(orgs=ORGS)
    got = {r.uscc: r for r in run.results.all()}
    assert str(got[A].used.normalize()) == "11" and run.records == 4


def test_conflict_with_an_earlier_import_refuses_everything(tmp_path):
    first = metering_import(write_csv(tmp_path / "a.csv", FIRST))
    changed = [job("9", A, B, "1"), FIRST[0] | {"amount": "11"}]
    with pytest.raises(MeteringError) as caught:
        metering_import(write_csv(tmp_path / "b.csv", changed))
    assert caught.value.lines() == [3]
    assert f"第{first.pk}次导入" in caught.value.problems[0].message
    assert MeteringImport.objects.count() == 1 and len(stored_files()) == 1


def test_malformed_file_stores_nothing(tmp_path):
    with pytest.raises(MeteringError) as caught:
        metering_import(write_csv(tmp_path / "bad.csv", [FIRST[0], job("x", A, B, "-1")]))
    assert caught.value.lines() == [3]
    assert MeteringImport.objects.count() == 0 and stored_files() == []
    assert AuditEvent.objects.filter(action="metering.import", outcome="refused").count() == 1


def test_run_matches_compute_and_failed_run_keeps_previous(tmp_path, monkeypatch):
    from duixian.compute import services

    assert subsidy_run_current() is None
    empty = subsidy_run(orgs=ORGS)  # no imports yet: every listed organisation at zero
    assert empty.status == RunStatus.SUCCEEDED and empty.results.count() == 3
    metering_import(write_csv(tmp_path / "a.csv", FIRST))
    run = subsidy_run(orgs=ORGS)
    a = run.results.get(uscc=A)
    assert (a.used, a.provided, a.net, a.subsidy_quantity) == (10, 2.5, 7.5, 7.5)
    assert run.results.get(uscc=U).excluded_business == 1
    assert subsidy_run_current() == run

    def broken(*args, **kwargs):
        raise RuntimeError("中途失败")

    monkeypatch.setattr(services, "compute_subsidy", broken)
    with pytest.raises(RuntimeError):
        subsidy_run(orgs=ORGS)
    failed = SubsidyRun.objects.order_by("-id").first()
    assert failed.status == RunStatus.FAILED and "中途失败" in failed.error
    assert failed.results.count() == 0
    assert subsidy_run_current() == run


def test_import_and_run_commands(tmp_path):
    from tests.conftest import make_org

    make_org(A, "甲公司", "340100")
    out = io.StringIO()
    call_command("subsidy", "import", str(write_csv(tmp_path / "a.csv", FIRST)), stdout=out)
    assert "新增 3 条" in out.getvalue()
    out = io.StringIO()
    call_command("subsidy", "run", stdout=out)
    assert "3 条记录" in out.getvalue()
    assert subsidy_run_current().results.get(uscc=A).organisation.name == "甲公司"
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("subsidy", "import", str(write_csv(tmp_path / "b.csv", [job("", A, B, "1")])),
                     stdout=io.StringIO(), stderr=err)
    assert caught.value.returncode == 1 and "第2行" in err.getvalue()


@pytest.fixture
def api_client():
    from ninja import NinjaAPI
    from ninja.testing import TestClient

    from duixian.api.models import MachineToken
    from duixian.compute.api import router

    api = NinjaAPI(urls_namespace="compute-test")
    api.add_router("/", router)
    _, raw = MachineToken.issue("省级智能算力统筹调度平台", "metering:write")
    _, wrong_scope = MachineToken.issue("别的客户端", "evaluate")
    return TestClient(api), raw, wrong_scope


def test_api_push(api_client, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client, token, wrong_scope = api_client
    content = write_csv(tmp_path / "a.csv", FIRST).read_bytes()
    auth = {"Authorization": f"Bearer {token}"}

    def push(data, headers=auth):
        return client.post("/metering", FILES={"file": SimpleUploadedFile("a.csv", data)},
                           headers=headers)

    assert push(content, {}).status_code == 401
    assert push(content, {"Authorization": f"Bearer {wrong_scope}"}).status_code == 401
    first = push(content)
    assert first.status_code == 200, first.content
    assert first.json()["new_records"] == 3
    again = push(content)
    assert again.status_code == 200 and again.json()["new_records"] == 0
    assert again.json()["already_present"] == 3
    imp = MeteringImport.objects.get(pk=first.json()["import_id"])
    assert imp.source == "api" and imp.machine_client.name == "省级智能算力统筹调度平台"
    bad = push(content.replace(b",10,", b",ten,"))
    assert bad.status_code == 422
    assert bad.json()["lines"] == [2] and "amount" in bad.json()["problems"][0]["message"]
