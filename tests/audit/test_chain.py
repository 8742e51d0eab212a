import pytest
from django.core.management import call_command
from django.db import connection

from duixian.audit.models import AuditEvent
from duixian.audit.services import audit_record, audit_seal, audit_verify
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def as_database_superuser():
    """Tampering below the application: on PostgreSQL that means switching the trigger off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")


def test_login_success_and_failure_are_audited(client, users):
    client.post("/accounts/login/", {"username": "hefei_clerk", "password": "wrong"})
    client.post("/accounts/login/", {"username": "hefei_clerk", "password": PASSWORD})
    events = list(AuditEvent.objects.filter(action="login").values_list("username", "outcome"))
    assert events == [("hefei_clerk", "failure"), ("hefei_clerk", "success")]


def test_intact_chain_verifies(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # sealed and checkpointed on commit
        for i in range(5):
            audit_record("test.event", user=users["province"], detail={"i": i})
    assert audit_verify() == []
    call_command("audit", "verify")


def test_edited_row_is_named_and_verify_exits_non_zero(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            audit_record("test.event", user=users["province"], detail={"i": i})
        audit_seal()  # what happens when the recording transaction commits (and its checkpoint)
    as_database_superuser()
    AuditEvent.objects.filter(seq=2).update(detail={"i": 99})
    problems = audit_verify()
    assert [p.seq for p in problems] == [2]
    assert "篡改" in problems[0].message
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1


def test_deleted_row_is_detected(users):
    for i in range(3):
        audit_record("test.event", user=users["province"], detail={"i": i})
    audit_seal()  # what happens when the recording transaction commits
    as_database_superuser()
    AuditEvent.objects.filter(seq=2).delete()  # a bulk delete skips the model guard, as direct SQL would
    problems = audit_verify()
    assert problems and problems[0].seq == 3
    assert "缺失" in problems[0].message


def test_rows_cannot_be_changed_through_the_model(users):
    event = audit_record("test.event", user=users["province"])
    event.outcome = "failure"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_rows_are_sealed_when_their_transaction_commits(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = audit_record("test.event", user=users["province"])
        second = audit_record("test.event", user=users["province"])
        assert AuditEvent.objects.get(pk=first.pk).seq is None  # not yet committed
    sealed = AuditEvent.objects.order_by("seq")
    assert [e.pk for e in sealed] == [first.pk, second.pk]
    assert [e.seq for e in sealed] == [1, 2]
    assert sealed[1].prev_hash == sealed[0].hash
    assert audit_verify() == []


def test_a_rolled_back_change_leaves_no_audit_row_and_no_gap(users, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        audit_record("test.kept", user=users["province"])
        try:
            with transaction.atomic():
                audit_record("test.lost", user=users["province"])
                raise RuntimeError("the business change failed")
        except RuntimeError:
            pass
        audit_record("test.kept", user=users["province"])
    assert audit_verify() == []
    assert list(AuditEvent.objects.order_by("seq").values_list("action", "seq")) == [("test.kept", 1), ("test.kept", 2)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="sealers contend for an advisory lock on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_a_request_does_not_wait_for_a_busy_sealer_and_housekeeping_seals_its_row(users):
    from django.db import connections

    from duixian.audit.services import _SEAL_LOCK_KEY
    from duixian.ops.housekeeping import housekeeping_once

    other = connections.create_connection("default")  # another process sealing at this moment
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_SEAL_LOCK_KEY])
        event = audit_record("test.event", user=users["province"])  # autocommit: commits at once
        event.refresh_from_db()
        assert event.seq is None  # not sealed, and the request did not block on the lock
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_SEAL_LOCK_KEY])
    finally:
        other.close()
    housekeeping_once()  # what every worker does every few seconds
    event.refresh_from_db()
    assert event.seq is not None
    assert audit_verify() == []


def test_a_deleted_middle_row_is_named_as_a_gap_and_a_broken_link(users):
    # The auditor is told both what is missing and that the next row no longer links to its
    # predecessor: the link check must hold on its own, not only through the sequence numbers.
    for i in range(4):
        audit_record("test.event", user=users["province"], detail={"i": i})
    audit_seal()
    as_database_superuser()
    AuditEvent.objects.filter(seq=2).delete()
    messages = [p.message for p in audit_verify() if p.seq == 3]
    assert any("序号 2 至 2 的记录缺失" in m for m in messages), messages  # names exactly what is gone
    assert any("前序哈希" in m for m in messages), messages


def test_a_relinked_row_fails_its_own_seal(users):
    # Each row's hash covers the previous row's hash: pointing a row at another predecessor
    # (to splice in a forged trail) breaks that row's seal, not just the link check.
    for i in range(3):
        audit_record("test.event", user=users["province"], detail={"i": i})
    audit_seal()
    as_database_superuser()
    AuditEvent.objects.filter(seq=3).update(prev_hash="f" * 64)  # (prev_hash is unique: no fork)
    messages = [p.message for p in audit_verify() if p.seq == 3]
    assert any("前序哈希" in m for m in messages), messages
    assert any("篡改" in m for m in messages), messages


def test_a_login_attempt_with_control_characters_is_audited_and_the_trail_still_exports(client, users):
    # An outsider's hostile username is still a login attempt the auditor must see; the export
    # that once broke on it must open (issue 16 item 5).
    client.post("/accounts/login/", {"username": "ctl\x01user\x1b", "password": "x"})
    event = AuditEvent.objects.get(action="login", outcome="failure")
    assert event.username == "ctl\x01user\x1b"
    client.force_login(users["audit_admin"])
    response = client.get("/audit/export/?format=xlsx")
    assert response.status_code == 200


def test_a_transaction_of_many_rows_is_sealed_once_after_its_commit(users, django_capture_on_commit_callbacks):
    """The worker checks ten presses in one transaction: one sealing after the commit chains all
    their rows, instead of one sealing a row, nine of which found nothing left (issue 22)."""
    from duixian.audit import services

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows = [audit_record("test.press", user=users["province"]) for _ in range(10)]
    assert [c for c in callbacks if c is services._seal_unless_busy] == [services._seal_unless_busy]
    assert [e.seq for e in AuditEvent.objects.filter(pk__in=[r.pk for r in rows]).order_by("seq")] == list(range(1, 11))
    assert audit_verify() == []


def test_a_rolled_back_savepoint_never_takes_the_sealing_of_the_rows_that_commit(users, django_capture_on_commit_callbacks):
    """Rows of savepoints: the first press's savepoint is released, the second's rolled back (its
    check failed), the third's released: the rows that commit are sealed after the commit."""
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                audit_record("test.lost", user=users["province"])  # the first hook, dropped with it
                raise RuntimeError("this press's check failed")
        except RuntimeError:
            pass
        with transaction.atomic():
            kept = audit_record("test.kept", user=users["province"])
        try:
            with transaction.atomic():
                audit_record("test.lost", user=users["province"])
                raise RuntimeError("this one's too")
        except RuntimeError:
            pass
        last = audit_record("test.kept", user=users["province"])
    assert AuditEvent.objects.get(pk=kept.pk).seq == 1 and AuditEvent.objects.get(pk=last.pk).seq == 2
    assert not AuditEvent.objects.filter(action="test.lost").exists()
    assert audit_verify() == []
