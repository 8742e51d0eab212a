"""Issue 16 item 3: the audit trail cannot be shortened or rewritten unnoticed.

The chain is keyed (HMAC-SM3 under AUDIT_CHAIN_KEY, never in the database) and its head is
checkpointed outside the database; `duixian audit verify` compares against the checkpoints."""

import json

import pytest
from django.core.management import call_command
from django.db import connection

from duixian.audit import anchors
from duixian.audit.models import AuditEvent
from duixian.audit.services import _HASHED_FIELDS, GENESIS, _row_hash, audit_record, audit_seal, audit_verify

pytestmark = pytest.mark.django_db


def as_database_superuser():
    """Tampering below the application: on PostgreSQL that means switching the trigger off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")


@pytest.fixture
def trail(users, django_capture_on_commit_callbacks):
    """Five sealed rows, checkpointed as the platform does after each commit."""
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            audit_record("test.event", user=users["province"], detail={"i": i})
        audit_seal()
    assert [a.seq for a in anchors.anchors_read().anchors] == [5]
    return users


def rechain_unkeyed(from_seq: int):
    """What an attacker with the code but not the key can do: recompute the plain SM3 chain."""
    prev = AuditEvent.objects.get(seq=from_seq - 1).hash if from_seq > 1 else GENESIS
    for event in AuditEvent.objects.filter(seq__gte=from_seq).order_by("seq"):
        values = {name: getattr(event, name) for name in _HASHED_FIELDS}
        new_hash = _row_hash(prev, values)
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=f"tmp{event.pk}", hash=f"tmp-{event.pk}")
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=prev, hash=new_hash)
        prev = new_hash


def test_sealed_rows_carry_a_keyed_hash_and_an_intact_trail_verifies(trail, capsys):
    event = AuditEvent.objects.get(seq=2)
    values = {name: getattr(event, name) for name in _HASHED_FIELDS}
    assert event.hash != _row_hash(event.prev_hash, values)  # not the plain SM3 any more
    assert audit_verify() == []
    call_command("audit", "verify")
    assert "完整" in capsys.readouterr().out


def test_deleting_the_last_rows_is_named(trail):
    as_database_superuser()
    AuditEvent.objects.filter(seq__gte=4).delete()  # a bulk delete skips the model guard, as SQL would
    problems = audit_verify()
    assert any("审计记录缺失：第 3 条之后的记录被删除" in p.message for p in problems), problems
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1


def test_an_edited_row_with_the_plain_chain_recomputed_after_it_fails(trail):
    as_database_superuser()
    AuditEvent.objects.filter(seq=3).update(detail={"i": 99})
    rechain_unkeyed(3)
    problems = audit_verify()
    assert 3 in [p.seq for p in problems] and "篡改" in problems[0].message


def test_the_whole_chain_recomputed_without_the_key_does_not_match_the_checkpoint(trail):
    as_database_superuser()
    AuditEvent.objects.filter(seq=2).update(detail={"i": 99})
    rechain_unkeyed(1)  # every row now verifies as a pre-key row
    problems = audit_verify()
    assert any(p.seq == 5 and "与锚点" in p.message for p in problems), problems


def test_a_wrong_key_fails(trail, settings):
    settings.AUDIT_CHAIN_KEY = "some-other-key-of-enough-length-0123456789"
    problems = audit_verify()
    assert problems and "AUDIT_CHAIN_KEY" in problems[0].message


def test_a_forged_checkpoint_line_is_reported(trail, settings):
    with open(settings.AUDIT_ANCHOR_PATH, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"v": 1, "kind": "restore", "seq": 2, "hash": "x", "at": "", "host": "", "mac": "0" * 64}) + "\n")
    problems = audit_verify()
    assert any("锚点" in p.message and "校验码不符" in p.message for p in problems)
    assert [a.seq for a in anchors.anchors_read().anchors] == [5]  # the forged restore is ignored


def test_rows_sealed_before_the_key_still_verify_but_not_after_a_keyed_row(users, django_capture_on_commit_callbacks):
    """Migration: rows sealed by the older version carry the plain SM3 chain; from the first row
    sealed by this version on, every row is keyed."""
    for i in range(3):
        audit_record("test.old", user=users["province"], detail={"i": i})
    audit_seal()
    as_database_superuser()
    rechain_unkeyed(1)  # as the older version sealed them
    with django_capture_on_commit_callbacks(execute=True):
        audit_record("test.new", user=users["province"])
        audit_seal()
    assert audit_verify() == []
    # A pre-key looking row after a keyed one is tampering.
    with django_capture_on_commit_callbacks(execute=True):
        audit_record("test.new", user=users["province"])
        audit_seal()
    rechain_unkeyed(5)
    assert [p.seq for p in audit_verify()][:1] == [5]


def test_deleting_the_last_rows_and_the_anchor_file_is_still_named(trail, settings):
    """Review of issue 16: with the anchor file gone (or emptied) verify said 完整."""
    as_database_superuser()
    AuditEvent.objects.filter(seq__gte=4).delete()
    settings.AUDIT_ANCHOR_PATH.unlink()
    problems = audit_verify()
    assert any("未找到审计锚点" in p.message and "第 3 条之后" in p.message for p in problems), problems
    settings.AUDIT_ANCHOR_PATH.write_text("")  # emptied, not removed
    assert any("未找到审计锚点" in p.message for p in audit_verify())
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1


def test_an_unwritable_anchor_file_does_not_stop_the_platform(users, settings, caplog):
    """The checkpoint cannot be written (full disk, wrong owner): the sealing goes on, the failure
    is logged, and verify then names the missing checkpoint instead of saying 完整."""
    blocker = settings.AUDIT_ANCHOR_PATH.parent / "not-a-directory"
    blocker.write_text("x")
    settings.AUDIT_ANCHOR_PATH = blocker / "audit-anchors.log"
    audit_record("test.event", user=users["province"])
    with caplog.at_level("ERROR", logger="duixian.audit.anchor"):
        audit_seal()
        anchors.anchor_write("seal", 1, AuditEvent.objects.get(seq=1).hash)  # what the commit runs
    assert "审计锚点写入失败" in caplog.text
    assert any("未找到审计锚点" in p.message for p in audit_verify())


def test_a_restore_checkpoint_sets_the_expected_head(trail):
    as_database_superuser()
    AuditEvent.objects.filter(seq__gte=4).delete()
    head = AuditEvent.objects.get(seq=3)
    anchors.anchor_write("restore", head.seq, head.hash)  # what `duixian restore` writes
    assert audit_verify() == []


def test_the_checkpoint_goes_to_the_log_too(users, caplog, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(anchors, "_last_logged", 0.0)
    with caplog.at_level("INFO", logger="duixian.audit.anchor"), django_capture_on_commit_callbacks(execute=True):
        audit_record("test.event", user=users["province"])
        audit_seal()
    line = next(r.getMessage() for r in caplog.records if r.name == "duixian.audit.anchor")
    checkpoint = json.loads(line.split(" ", 1)[1])
    assert checkpoint["seq"] == 1 and checkpoint["hash"] == AuditEvent.objects.get(seq=1).hash
    assert anchors.parse_checkpoint(checkpoint, "log").seq == 1


@pytest.mark.django_db(transaction=True)
def test_every_backup_holds_a_checkpoint_and_verify_compares_against_it(tmp_path, users, settings):
    from duixian.ops.backup import backup_create

    for i in range(4):
        audit_record("test.event", user=users["province"], detail={"i": i})  # autocommit: sealed at once
    backup = backup_create(tmp_path / "backups").path
    manifest_anchor = anchors.backup_anchor(backup)
    head = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").first()
    assert manifest_anchor.kind == "backup" and manifest_anchor.hash == AuditEvent.objects.get(seq=manifest_anchor.seq).hash
    assert head.seq >= manifest_anchor.seq >= 4
    call_command("audit", "verify", "--backup", str(backup))

    settings.AUDIT_ANCHOR_PATH = tmp_path / "lost-anchors.log"  # even with the anchor file gone
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        try:
            cursor.execute("DELETE FROM audit_auditevent WHERE seq >= %s", [manifest_anchor.seq - 1])
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
    problems = audit_verify(extra_anchors=[manifest_anchor])
    assert any(f"第 {manifest_anchor.seq - 2} 条之后的记录被删除" in p.message for p in problems), problems
    with pytest.raises(SystemExit):
        call_command("audit", "verify", "--backup", str(backup))
