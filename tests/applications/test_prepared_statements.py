"""On PostgreSQL a query a connection runs again and again is prepared once (issue 22): the
database stops parsing and planning each page's same few queries. DB_PREPARED_STATEMENTS=0 turns
it off for a pooler that cannot keep prepared statements (docs/deploy.md)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection

from duixian.applications.selectors import application_of
from duixian.applications.services import application_create
from tests.applications.conftest import at

pytestmark = pytest.mark.django_db


def _prepared_here() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return cursor.fetchone()[0]


def test_a_query_run_again_and_again_is_prepared_once_on_postgresql(users, time_machine):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)  # inside the application window
    draft_app = application_create(user=users["hefei_applicant"], clause="2", project_name="预编译草稿")
    before = _prepared_here()
    for _ in range(6):  # the fifth run of the same SQL prepares it
        assert application_of(draft_app.pk).project_name == draft_app.project_name
    assert _prepared_here() > before
    # the values travel apart from the SQL: hostile text is a value, never SQL
    from duixian.applications.models import Application

    hostile = "x'); DROP TABLE applications_application; --"
    for _ in range(6):
        assert not Application.objects.filter(project_name=hostile).exists()
    assert Application.objects.filter(pk=draft_app.pk).exists()


def _options(**env) -> str:
    code = "from django.conf import settings; print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))"
    run_env = {name: value for name, value in os.environ.items() if name != "DB_PREPARED_STATEMENTS"}
    run_env.update(DJANGO_SETTINGS_MODULE="duixian.settings", **env)
    return subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], env=run_env,
                          capture_output=True, text=True, check=True).stdout


def test_postgresql_prepares_unless_told_not_to_and_sqlite_is_untouched(tmp_path):
    url = "postgres://duixian@127.0.0.1:5432/duixian"
    on = _options(DATABASE_URL=url, DUIXIAN_VAR_DIR=str(tmp_path))
    assert "('prepare_threshold', 5)" in on and "('server_side_binding', True)" in on
    off = _options(DATABASE_URL=url, DB_PREPARED_STATEMENTS="0", DUIXIAN_VAR_DIR=str(tmp_path))
    assert "prepare_threshold" not in off and "server_side_binding" not in off
    sqlite = _options(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", DUIXIAN_VAR_DIR=str(tmp_path))
    assert "prepare_threshold" not in sqlite and "transaction_mode" in sqlite
