"""The embedded SQLite default under a few concurrent writers: no "database is locked".

`make run` served 500s (OperationalError: database is locked) on autosave posts while the worker
ran: an autosave's transaction read first and then wrote, and a writer that committed in between
made its upgrade to a write fail at once, whatever the busy timeout. These tests open a real file
database with the connection settings the platform uses (settings.DATABASES, only the file name
changed; the test run itself uses an in-memory database) and make that interleaving happen.
"""

from __future__ import annotations

import copy
import threading

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
