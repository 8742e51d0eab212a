"""Task leases: a worker killed mid-task (SIGKILL) does not lose the task; bounded retries.

The kill test runs real `duixian worker` processes against a database of its own (a SQLite file,
or a throw-away PostgreSQL database when the suite runs on PostgreSQL), because pytest's test
database lives inside this process's transaction (or memory) where a worker cannot see it.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from duixian.audit.models import AuditEvent
from duixian.ops.leases import lease_acquire, lease_renew, leases_reap
from duixian.ops.models import TaskLease
from tests.ops.tasks import stubborn

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture
def own_database(tmp_path):
    """A DATABASE_URL the subprocesses share: a SQLite file, or a fresh PostgreSQL database."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3"):
        yield f"sqlite:///{tmp_path / 'lease.sqlite3'}"
        return
    import psycopg

    params = settings.DATABASES["default"]
    name = f"duixian_lease_{uuid.uuid4().hex[:10]}"
    conninfo = dict(host=params.get("HOST") or "127.0.0.1", port=params.get("PORT") or 5432,
                    user=params.get("USER") or "postgres", password=params.get("PASSWORD") or None, dbname="postgres")
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    auth = conninfo["user"] + (f":{conninfo['password']}" if conninfo["password"] else "")
    try:
        yield f"postgres://{auth}@{conninfo['host']}:{conninfo['port']}/{name}"
    finally:
        with psycopg.connect(**conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(database_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(DATABASE_URL=database_url, PYTHONPATH=str(ROOT), DUIXIAN_VAR_DIR=str(tmp_path / "var"),
               PYTHONIOENCODING="utf-8", LOG_LEVEL="WARNING")
    return env


def _worker(env, log):
    return subprocess.Popen(
        [str(BIN / "duixian"), "worker", "--interval", "0.2", "--no-startup-delay",
         "--lease-seconds", "3", "--heartbeat-seconds", "0.5", "--max-attempts", "3", "-v", "0"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def _wait_for(path: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_task_of_a_killed_worker_is_retried_and_completes(tmp_path, own_database):
    env = _env(own_database, tmp_path)
    markers = tmp_path / "markers"
    markers.mkdir()
    setup = subprocess.run([sys.executable, str(ROOT / "tests/ops/lease_driver.py"), "setup", str(markers)],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert setup.returncode == 0, setup.stderr
    task_id = setup.stdout.strip().splitlines()[-1]

    first_log = open(tmp_path / "worker1.log", "w")
    first = _worker(env, first_log)
    try:
        assert _wait_for(markers / "started-1", 120), (tmp_path / "worker1.log").read_text()
        os.killpg(first.pid, signal.SIGKILL)  # mid-task: no chance to clean up
        first.wait(timeout=30)
        second_log = open(tmp_path / "worker2.log", "w")
        second = _worker(env, second_log)
        try:
            done = subprocess.run([sys.executable, str(ROOT / "tests/ops/lease_driver.py"), "wait", task_id, "120"],
                                  cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait(timeout=30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["status"] == "SUCCESSFUL", (report, (tmp_path / "worker2.log").read_text())
    assert report["return_value"] == {"attempt": 2}
    assert len(report["worker_ids"]) == 2 and report["worker_ids"][0] != report["worker_ids"][1]
    assert (markers / "started-1").read_text() == report["worker_ids"][0]
    assert report["leases"] == 0
    assert report["progress"] == [2, 2, "完成"]
    actions = [action for action, _detail in report["audit"]]
    assert actions == ["task.requeued"]
    assert report["audit"][0][1]["worker_id"] == report["worker_ids"][0]
    assert report["audit_ok"]


@pytest.mark.django_db
def test_reaper_gives_up_after_the_last_attempt_and_audits_it(tmp_path):
    result = stubborn.enqueue(str(tmp_path))
    row = DBTaskResult.objects.get(id=result.id)
    now = timezone.now()
    for attempt in range(1, 4):
        row.claim(f"worker-{attempt}")
        lease_acquire(row.id, f"worker-{attempt}", seconds=5)
        # A live lease is left alone, however long the task runs.
        assert leases_reap(now=now + timedelta(seconds=4), seconds=5, attempts=3) == []
        assert lease_renew(row.id, f"worker-{attempt}", seconds=5)
        outcome = leases_reap(now=timezone.now() + timedelta(seconds=6), seconds=5, attempts=3)
        row.refresh_from_db()
        if attempt < 3:
            assert outcome == [(str(row.id), "task.requeued")]
            assert row.status == "READY"
        else:
            assert outcome == [(str(row.id), "task.abandoned")]
            assert row.status == "FAILED"
            assert "执行进程失联" in row.traceback
    assert not TaskLease.objects.exists()
    assert list(AuditEvent.objects.filter(action__startswith="task.").values_list("action", flat=True)) == [
        "task.requeued", "task.requeued", "task.abandoned"]


@pytest.mark.django_db
def test_a_task_claimed_but_never_leased_is_requeued_after_one_lease_period(tmp_path):
    result = stubborn.enqueue(str(tmp_path))
    row = DBTaskResult.objects.get(id=result.id)
    row.claim("died-before-leasing")
    assert leases_reap(now=timezone.now() + timedelta(seconds=2), seconds=5) == []
    assert leases_reap(now=timezone.now() + timedelta(seconds=6), seconds=5) == [(str(row.id), "task.requeued")]
