"""`duixian backup` / `duixian restore` (CONTRACTS §5): a round trip, and refusing bad files.

Runs on whichever database the suite runs on (SQLite, and PostgreSQL when DATABASE_URL names one).
"""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from duixian.accounts.models import User
from duixian.authz.roles import Role
from duixian.audit.models import AuditEvent
from duixian.audit.services import audit_record, audit_verify
from duixian.orgs.models import Organisation
from tests.conftest import make_org, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data_dirs(tmp_path, settings):
    settings.METERING_ROOT = tmp_path / "metering"
    media = Path(settings.MEDIA_ROOT)
    (media / "materials").mkdir(parents=True)
    settings.METERING_ROOT.mkdir()
    return media, settings.METERING_ROOT


def _snapshot():
    audit = list(AuditEvent.objects.order_by("id").values())
    orgs = list(Organisation.objects.order_by("pk").values())
    users = list(User.objects.order_by("pk").values("pk", "username", "role", "organisation_id", "password", "city_code"))
    return audit, orgs, users


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _backup(tmp_path) -> Path:
    out = io.StringIO()
    call_command("backup", out=str(tmp_path / "backups"), stdout=out, stderr=io.StringIO())
    last = out.getvalue().strip().splitlines()[-1]
    path = Path(last)
    assert path.is_file() and path.parent == (tmp_path / "backups").resolve()
    return path


def _seed(data_dirs):
    media, metering = data_dirs
    hefei = make_org("91340100MA2RXH7Q95", "合肥测试科技有限公司", "340100")
    applicant = make_user("hefei_applicant", Role.APPLICANT, organisation=hefei)
    make_user("hefei_clerk", Role.CITY_CLERK, city_code="340100")
    for i in range(5):
        audit_record("test.event", user=applicant, detail={"i": i, "说明": "备份前", "nested": {"b": [1, 2.5, None]}})
    (media / "materials" / "a1b2c3").write_bytes(b"%PDF-1.4 stamped material\n" + bytes(range(256)))
    (metering / "2026-04.parquet").write_bytes(b"PAR1 not really parquet PAR1")
    return hefei, applicant


def test_round_trip_restores_rows_audit_chain_and_files(tmp_path, data_dirs):
    media, metering = data_dirs
    hefei, applicant = _seed(data_dirs)
    backup = _backup(tmp_path)
    audit_before, orgs_before, users_before = _snapshot()
    media_before, metering_before = _files(media), _files(metering)
    assert "materials/a1b2c3" in media_before

    # Life goes on after the backup: new rows, edits, new and changed files.
    make_org("91340200MA2N8K3L1T", "芜湖测试科技有限公司", "340200")
    User.objects.filter(pk=applicant.pk).update(username="renamed")
    audit_record("test.event", detail={"after": True})
    (media / "materials" / "a1b2c3").write_bytes(b"overwritten")
    (media / "materials" / "new-after-backup").write_bytes(b"new")
    (metering / "2026-04.parquet").unlink()

    out = io.StringIO()
    call_command("restore", str(backup), interactive=False, stdout=out)
    assert "已从" in out.getvalue()

    audit_after, orgs_after, users_after = _snapshot()
    assert orgs_after == orgs_before
    assert users_after == users_before
    # The chain comes back byte-identical; the restore itself is the one event appended to it.
    assert audit_after[: len(audit_before)] == audit_before
    assert [e["action"] for e in audit_after[len(audit_before):]] == ["ops.restore"]
    assert audit_verify() == []
    call_command("audit", "verify", stdout=io.StringIO())
    assert _files(media) == media_before
    assert _files(metering) == metering_before
    # No temporary folders are left beside the data folders.
    assert not [p for p in media.parent.iterdir() if p.name.startswith(".")]

    # Sequences were reset: new rows get fresh keys rather than colliding with restored ones.
    fresh = make_org("91340300MA2N8K3L1X", "蚌埠测试科技有限公司", "340300")
    assert fresh.pk > max(o["id"] for o in orgs_before)
    audit_record("test.after_restore")
    assert audit_verify() == []


def _rewrite(backup: Path, target: Path, change) -> Path:
    """Copy a backup, letting `change(name, data)` return new bytes (or None to drop the member)."""
    with tarfile.open(backup, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            if data is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return target


def _bad_files(tmp_path, backup: Path) -> dict[str, Path]:
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"\x1f\x8b this is not a backup at all" * 10)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])

    def tamper_row(name, data):
        return data.replace("合肥测试科技有限公司".encode(), "篡改科技有限公司".encode()) if name.startswith("db/orgs.") else data

    def drop_manifest(name, data):
        return None if name == "manifest.json" else data

    def foreign_manifest(name, data):
        return json.dumps({"format": "something-else", "version": 1}).encode() if name == "manifest.json" else data

    def future_migration(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"].setdefault("orgs", []).append("9999_from_the_future")
        return json.dumps(manifest).encode()

    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as archive:
        info = tarfile.TarInfo("../../etc/evil")
        info.size = 4
        archive.addfile(info, io.BytesIO(b"evil"))
    return {
        "garbage": garbage,
        "truncated": truncated,
        "tampered row": _rewrite(backup, tmp_path / "tampered.tar.gz", tamper_row),
        "no manifest": _rewrite(backup, tmp_path / "nomanifest.tar.gz", drop_manifest),
        "foreign manifest": _rewrite(backup, tmp_path / "foreignmanifest.tar.gz", foreign_manifest),
        "newer program": _rewrite(backup, tmp_path / "future.tar.gz", future_migration),
        "path escape": foreign,
        "missing": tmp_path / "does-not-exist.tar.gz",
    }


def test_restore_refuses_corrupt_or_foreign_files_and_changes_nothing(tmp_path, data_dirs):
    media, metering = data_dirs
    _seed(data_dirs)
    backup = _backup(tmp_path)
    make_org("91340200MA2N8K3L1T", "芜湖测试科技有限公司", "340200")  # the current data differs from the backup
    (media / "materials" / "current").write_bytes(b"current file")
    state, media_state, metering_state = _snapshot(), _files(media), _files(metering)

    for label, bad in _bad_files(tmp_path, backup).items():
        with pytest.raises(CommandError) as refused:
            call_command("restore", str(bad), interactive=False)
        assert "未做任何更改" in str(refused.value), label
        assert _snapshot() == state, label
        assert _files(media) == media_state, label
        assert _files(metering) == metering_state, label
    assert not (tmp_path.parent / "etc" / "evil").exists()
    assert not [p for p in media.parent.iterdir() if p.name.startswith(".")]


def test_restore_asks_in_chinese_and_a_no_changes_nothing(tmp_path, data_dirs, monkeypatch):
    _seed(data_dirs)
    backup = _backup(tmp_path)
    make_org("91340200MA2N8K3L1T", "芜湖测试科技有限公司", "340200")
    state = _snapshot()
    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or "no")
    with pytest.raises(CommandError, match="已取消"):
        call_command("restore", str(backup))
    assert "不可撤销" in prompts[0] and "yes" in prompts[0]
    assert _snapshot() == state

    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    call_command("restore", str(backup), stdout=io.StringIO())
    assert not Organisation.objects.filter(uscc="91340200MA2N8K3L1T").exists()
