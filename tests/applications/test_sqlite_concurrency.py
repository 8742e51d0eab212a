"""The embedded SQLite default under a few concurrent writers: no "database is locked".

`make run` served 500s (OperationalError: database is locked) on autosave posts while the worker
ran: an autosave's transaction read first and then wrote, and a writer that committed in between
made its upgrade to a write fail at once, whatever the busy timeout. These tests open a real file
database with the connection settings the platform uses (settings.DATABASES, only the file name
changed; the test run itself uses an in-memory database) and make that interleaving happen.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

ALIAS = "sqlite_file_concurrency"


@pytest.fixture
def file_db(tmp_path, django_db_blocker):
    default = settings.DATABASES["default"]
    if not default["ENGINE"].endswith("sqlite3"):
        pytest.skip("the embedded default only")
    config = copy.deepcopy(default)
    config["NAME"] = str(tmp_path / "concurrency.sqlite3")
    config["TEST"] = {"NAME": config["NAME"]}
    connections.settings[ALIAS] = config
    try:
        with django_db_blocker.unblock():  # not the test database: a file of its own
            with connections[ALIAS].cursor() as cursor:
                cursor.execute("CREATE TABLE answers (id INTEGER PRIMARY KEY, saves INTEGER NOT NULL)")
                cursor.execute("INSERT INTO answers (id, saves) VALUES (1, 0)")
            yield ALIAS
    finally:
        connections[ALIAS].close()
        del connections.settings[ALIAS]
        if hasattr(connections._connections, ALIAS):
            delattr(connections._connections, ALIAS)


def _in_thread(target, errors):
    def run():
        try:
            target()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections[ALIAS].close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_the_file_database_runs_in_wal_mode_with_a_busy_timeout(file_db):
    with connections[file_db].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10_000
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_a_save_that_reads_before_writing_waits_for_the_worker_instead_of_failing(file_db):
    """The autosave reads, the worker commits a write meanwhile, the autosave writes: with
    deferred transactions the last step failed at once with "database is locked"."""
    autosave_read, worker_done = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def autosave():
        with transaction.atomic(using=file_db), connections[file_db].cursor() as cursor:
            cursor.execute("SELECT saves FROM answers WHERE id = 1")
            saves = cursor.fetchone()[0]
            autosave_read.set()
            worker_done.wait(timeout=0.5)  # the worker commits now (unless it must wait for us)
            cursor.execute("UPDATE answers SET saves = %s WHERE id = 1", [saves + 1])

    def worker():
        autosave_read.wait(timeout=5)
        with transaction.atomic(using=file_db), connections[file_db].cursor() as cursor:
            cursor.execute("UPDATE answers SET saves = saves + 1 WHERE id = 1")
        worker_done.set()

    threads = [_in_thread(autosave, errors), _in_thread(worker, errors)]
    for thread in threads:
        thread.join(timeout=30)
    assert not [e for e in errors if isinstance(e, OperationalError)], errors
    assert not errors, errors
    with connections[file_db].cursor() as cursor:
        cursor.execute("SELECT saves FROM answers WHERE id = 1")
        assert cursor.fetchone()[0] == 2  # both writes kept, neither lost


def test_several_autosaves_and_a_busy_worker_all_succeed(file_db):
    errors: list[Exception] = []
    users, saves_each = 5, 15
    stop = threading.Event()

    def autosaves():
        for _ in range(saves_each):
            with transaction.atomic(using=file_db), connections[file_db].cursor() as cursor:
                cursor.execute("SELECT saves FROM answers WHERE id = 1")
                saves = cursor.fetchone()[0]
                cursor.execute("UPDATE answers SET saves = %s WHERE id = 1", [saves + 1])

    def busy_worker():
        while not stop.is_set():
            with transaction.atomic(using=file_db), connections[file_db].cursor() as cursor:
                cursor.execute("SELECT count(*) FROM answers")
                stop.wait(0.02)  # holds its transaction a while, as an import or a sweep does
                cursor.execute("UPDATE answers SET saves = saves WHERE id = 1")
            stop.wait(0.01)  # and does some work between them

    worker = _in_thread(busy_worker, errors)
    threads = [_in_thread(autosaves, errors) for _ in range(users)]
    for thread in threads:
        thread.join(timeout=60)
    stop.set()
    worker.join(timeout=10)
    assert not errors, errors
    with connections[file_db].cursor() as cursor:
        cursor.execute("SELECT saves FROM answers WHERE id = 1")
        assert cursor.fetchone()[0] == users * saves_each  # no lost update either


AUTOSAVES_NEXT_TO_A_WORKER = textwrap.dedent("""
    import threading, time
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import OperationalError, connections, transaction
    call_command("migrate", verbosity=0)
    from duixian.accounts.models import User
    from duixian.applications.models import Application
    from duixian.applications.services import application_save_answers
    from duixian.orgs.models import Organisation
    org = Organisation.objects.create(uscc="91340100MA2N1X7K3P", name="并发测试单位", city_code="340100")
    user = User.objects.create(username="concurrent", role="applicant", organisation=org)
    drafts = [Application.objects.create(organisation=org, city_code="340100", clause="2", project_name=f"项目{i}",
                                         created_by=user, facts={}) for i in range(4)]
    errors, saved, stop = [], [], threading.Event()

    def autosaves(app):
        try:
            for n in range(15):
                try:
                    application_save_answers(app, {"contact_name": f"联系人{n}",
                                                   "scene.development_investment_wan": str(n)}, user=user)
                    saved.append(n)
                except OperationalError as error:
                    errors.append(str(error))
        finally:
            connections.close_all()

    def worker():  # reads, holds its transaction a while, writes; again and again
        try:
            while not stop.is_set():
                with transaction.atomic():
                    list(Application.objects.all())
                    time.sleep(0.03)
                    Application.objects.filter(pk=drafts[0].pk).update(project_name="项目0")
                time.sleep(0.01)
        except OperationalError as error:
            errors.append("worker: " + str(error))
        finally:
            connections.close_all()

    busy = threading.Thread(target=worker)
    busy.start()
    users = [threading.Thread(target=autosaves, args=(app,)) for app in drafts]
    [t.start() for t in users]
    [t.join() for t in users]
    stop.set()
    busy.join()
    print(f"saved={len(saved)} errors={len(errors)}", errors[:1])
""")


@pytest.mark.slow
def test_autosaves_through_the_service_next_to_a_busy_worker_on_a_migrated_file(tmp_path):
    """The real path on the platform's own settings: a fresh file database (`make run`'s
    default, in a temporary directory), four applicants' autosaves through
    application_save_answers while a worker-like thread holds transactions. With deferred
    transactions about half of these saves failed with "database is locked"."""
    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("the embedded default only")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DUIXIAN_DEMO")}
    env.update(DUIXIAN_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="duixian.settings")
    result = subprocess.run([sys.executable, "-c", AUTOSAVES_NEXT_TO_A_WORKER], env=env, capture_output=True,
                            text=True, timeout=300, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr[-3000:]
    assert "saved=60 errors=0" in result.stdout, result.stdout + result.stderr[-2000:]
