"""Append-only at the database (PostgreSQL trigger) and a retention that cannot go below 6 months."""

import pytest
from django.core.checks import run_checks
from django.db import DatabaseError, connection, transaction

from duixian.audit.models import AuditEvent
from duixian.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_update_delete_and_truncate_even_in_raw_sql(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # sealed and checkpointed on commit
        audit_record("test.event", user=users["province"])
    for sql in ("UPDATE audit_auditevent SET outcome = 'failure'", "DELETE FROM audit_auditevent",
                "TRUNCATE audit_auditevent"):
        with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL duixian.audit_truncate = 'off'")  # as in production
            cursor.execute(sql)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().update(outcome="failure")
    assert AuditEvent.objects.get().outcome == "success"
    assert audit_verify() == []


@pytest.mark.parametrize("months,ok", [(6, True), (36, True), (5, False), (0, False), ("12", False)])
def test_retention_below_six_months_is_refused_by_a_system_check(settings, months, ok):
    settings.AUDIT_RETENTION_MONTHS = months
    errors = [e for e in run_checks() if e.id == "duixian.audit.E001"]
    assert (errors == []) is ok
    if not ok:
        assert "不得少于 6 个月" in errors[0].msg


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_lets_only_sealing_change_a_row(users, django_capture_on_commit_callbacks):
    from duixian.audit.services import audit_seal

    event = audit_record("test.event", user=users["province"])
    with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(outcome="failure")  # not yet sealed: still refused
    with django_capture_on_commit_callbacks(execute=True):  # the checkpoint is written on commit
        assert audit_seal() == 1
    assert AuditEvent.objects.get(pk=event.pk).seq == 1
    assert audit_verify() == []
