"""An archived export version and its audit row commit together: when the audit row cannot be
written, no version is kept (and the clerk gets an error, not a file without a trace)."""

import pytest

from duixian.exports.models import ExportVersion
from tests.audit.failing import audit_insert_fails

from .conftest import at, signin

pytestmark = pytest.mark.django_db


def test_a_version_whose_audit_row_fails_is_not_kept(client, users, recommended, time_machine, monkeypatch):
    time_machine.move_to(at("2026-04-29 09:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    audit_insert_fails(monkeypatch, "export.version_create")
    client.raise_request_exception = False
    assert client.get("/exports/city/340100/summary.xlsx").status_code == 500
    assert not ExportVersion.objects.exists()
