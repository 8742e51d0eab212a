"""One-file backups of the whole platform, and restoring them (CONTRACTS §5).

A backup is a gzipped tar holding
- `manifest.json`: format name and version, when and from what it was made, the applied
  migrations, and the size and SHA-256 of every other member;
- `db/<app_label>.<model>.json`: every row of every model, as Django JSON. Datetimes keep their
  microseconds (Django's own encoder drops them, which would break the audit chain's hashes),
  so the dump restores byte-identical on SQLite or PostgreSQL, whichever made it;
- `media/...`: the files under MEDIA_ROOT (with the default, local storage: materials, 授权书,
  公示 and 算力补助 objection attachments, 单位证照库 documents too), and, when the default
  storage is not the local disk (S3-compatible object storage), its objects (the same kinds)
  under `storage/...`;
- `metering/...`: the metering Parquet files under METERING_ROOT.

Restore checks everything before it touches anything: the manifest, every member's hash, that no
member is missing, unlisted or outside its folder, and that the backup's migrations are known
to this code. Then, in one database transaction, every table is emptied and the rows loaded;
the files were unpacked beforehand into a temporary folder beside MEDIA_ROOT, which replaces it
by rename just before the transaction commits. A refused file changes nothing. With object
storage the bucket's objects are replaced one by one after the commit.

A backup restores onto either kind of storage, whichever made it: the stored files of a
local-disk backup (MEDIA_ROOT's materials/, authority/, objections/, compute-objections/ and wallet/) go
into the bucket, and a bucket's objects go under MEDIA_ROOT; the rows name a file the same way
on both (`materials/<name>`, `objections/<name>`, `compute-objections/<name>`).
That is also how a platform moves its files from the local disk into a bucket.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from duixian.core.errors import DomainError

FORMAT = "duixian-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_PREFIXES = ("db/", "media/", "storage/", "metering/")
# The folders whose files go through the default storage: under MEDIA_ROOT with the local
# storage, the bucket's objects with object storage.
STORAGE_FOLDERS = ("materials", "authority", "objections", "compute-objections", "wallet")  # wallet: 单位证照库
# Where MEDIA_ROOT kept the metering files before they moved to METERING_ROOT: an older backup's
# media/metering/ members are restored under METERING_ROOT.
_LEGACY_MEDIA_METERING = "metering"


class BackupError(DomainError):
    """A backup that cannot be made or restored; the message says why, in Chinese."""


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but datetimes and times keep all six digits of their microseconds."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def metering_root() -> Path:
    return Path(getattr(settings, "METERING_ROOT", Path(settings.MEDIA_ROOT).parent / "metering"))


def _dumped_models(using: str = DEFAULT_DB_ALIAS):
    """Every concrete model whose table exists (a model whose migration is not applied yet is skipped)."""
    existing = set(connections[using].introspection.table_names())
    for model in apps.get_models():
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped and meta.db_table in existing:
            yield model


def _applied_migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _walk_files(root: Path):
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, path.relative_to(root).as_posix()


def _walk_storage(storage, prefix: str = ""):
    directories, files = storage.listdir(prefix)
    for name in sorted(files):
        yield f"{prefix}{name}"
    for directory in sorted(directories):
        yield from _walk_storage(storage, f"{prefix}{directory}/")


def _uses_local_storage() -> bool:
    return isinstance(default_storage, FileSystemStorage)


@dataclass
class BackupResult:
    path: Path
    manifest: dict = field(default_factory=dict)


def backup_create(out_dir: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Write one backup file into `out_dir` and return its path."""
    from duixian.audit.services import audit_record

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Real clock, not the platform clock: operators sort and prune backups by real time
    # (docs/decisions/one-clock.md); a demo clock set to April must not name today's backup.
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
    final = out_dir / f"duixian-backup-{stamp}.tar.gz"
    audit_record("ops.backup", username="system", detail={"file": final.name})

    connection = connections[using]
    files: dict[str, dict] = {}
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="duixian-backup-") as work:
        work = Path(work)
        (work / "db").mkdir()
        # One consistent snapshot of every table.
        outermost = not connection.in_atomic_block
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            applied = _applied_migrations(using)
            audit_anchor = _audit_checkpoint(using)
            for model in _dumped_models(using):
                label = model._meta.label_lower
                queryset = model._default_manager.using(using).order_by(model._meta.pk.name)
                with open(work / "db" / f"{label}.json", "w", encoding="utf-8") as handle:
                    serializers.serialize("json", queryset.iterator(chunk_size=2000), stream=handle,
                                          cls=ExactJSONEncoder)
                counts[label] = queryset.count()

        part = out_dir / f".{final.name}.part"
        try:
            _write_archive(part, work, files, counts, applied, connection.vendor, audit_anchor)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        os.replace(part, final)
    manifest = json.loads(_read_manifest_bytes(final))
    return BackupResult(path=final, manifest=manifest)


def _audit_checkpoint(using: str) -> dict:
    """A keyed checkpoint of the audit chain's head as this snapshot holds it (in the manifest as
    `audit_anchor`, and appended to the anchor file): `duixian audit verify --backup FILE`
    later proves that no row up to it was deleted or rewritten (duixian/audit/anchors.py)."""
    from duixian.audit.anchors import anchor_write
    from duixian.audit.models import AuditEvent

    head = (AuditEvent.objects.using(using).filter(seq__isnull=False).order_by("-seq")
            .values_list("seq", "hash").first()) or (0, "")
    return anchor_write("backup", *head)


def _read_manifest_bytes(path: Path) -> bytes:
    with tarfile.open(path, "r:gz") as archive:
        return archive.extractfile(MANIFEST).read()


def _write_archive(part: Path, work: Path, files: dict, counts: dict, applied: dict, vendor: str,
                   audit_anchor: dict | None = None) -> None:
    with tarfile.open(part, "w:gz") as archive:
        def add(member: str, path: Path) -> None:
            files[member] = {"sha256": _sha256_file(path), "size": path.stat().st_size}
            archive.add(path, arcname=member, recursive=False)

        for path, rel in _walk_files(work / "db"):
            add(f"db/{rel}", path)
        for path, rel in _walk_files(Path(settings.MEDIA_ROOT)):
            add(f"media/{rel}", path)
        if not _uses_local_storage():
            for name in _walk_storage(default_storage):
                local = work / "storage" / name
                local.parent.mkdir(parents=True, exist_ok=True)
                with default_storage.open(name, "rb") as source, open(local, "wb") as target:
                    shutil.copyfileobj(source, target)
                add(f"storage/{name}", local)
                local.unlink()
        for path, rel in _walk_files(metering_root()):
            add(f"metering/{rel}", path)

        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database_vendor": vendor,
            "materials_storage": "local" if _uses_local_storage() else "object",
            "migrations": applied,
            "counts": counts,
            "files": files,
        }
        if audit_anchor is not None:
            manifest["audit_anchor"] = audit_anchor
        data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(timezone.now().timestamp())
        archive.addfile(info, io.BytesIO(data))


# --- Restore ------------------------------------------------------------------------------------

NOT_A_BACKUP = "文件 {name} 不是本平台的备份文件，或已损坏：{why}。未做任何更改。"


@dataclass
class Staged:
    """A checked backup unpacked beside its destinations, ready to be swapped in."""

    manifest: dict
    work: Path  # db/ and storage/ members
    media: Path  # becomes MEDIA_ROOT
    metering: Path  # becomes METERING_ROOT
    dirs: list[Path]

    def cleanup(self) -> None:
        for directory in self.dirs:
            shutil.rmtree(directory, ignore_errors=True)


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts:
        return False
    return name == MANIFEST or (name.startswith(_PREFIXES) and len(path.parts) >= 2)


def _sibling_tempdir(target: Path, tag: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.{tag}-", dir=target.parent))


def backup_stage(path: str | os.PathLike) -> Staged:
    """Check the whole file and unpack it; raise BackupError (and leave nothing behind) if it is bad."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise BackupError(f"找不到备份文件 {path}。未做任何更改。")
    media_root, meter_root = Path(settings.MEDIA_ROOT), metering_root()
    work = Path(tempfile.mkdtemp(prefix="duixian-restore-"))
    media_dir, meter_dir = _sibling_tempdir(media_root, "restore"), _sibling_tempdir(meter_root, "restore")
    staged = Staged({}, work, media_dir / "new", meter_dir / "new", [work, media_dir, meter_dir])
    staged.media.mkdir()
    staged.metering.mkdir()

    def refuse(why: str):
        staged.cleanup()
        raise BackupError(NOT_A_BACKUP.format(name=name, why=why))

    seen: dict[str, dict] = {}
    manifest_bytes = None
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                if not member.isfile() or not _safe_member_name(member.name):
                    refuse(f"含有不允许的条目 {member.name!r}")
                if member.name in seen or (member.name == MANIFEST and manifest_bytes is not None):
                    refuse(f"条目 {member.name!r} 重复")
                source = archive.extractfile(member)
                if member.name == MANIFEST:
                    manifest_bytes = source.read(10 * 1024 * 1024)
                    continue
                top, rest = member.name.split("/", 1)
                base = {"db": work / "db", "storage": work / "storage", "media": staged.media,
                        "metering": staged.metering}[top]
                target = base / rest
                target.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                with open(target, "wb") as out:
                    for chunk in iter(lambda: source.read(1 << 20), b""):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                seen[member.name] = {"sha256": digest.hexdigest(), "size": size}
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        refuse(f"无法读取压缩包（{type(exc).__name__}）")

    if manifest_bytes is None:
        refuse("缺少 manifest.json")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        refuse("manifest.json 不是有效的 JSON")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        refuse("manifest.json 的格式标识不符")
    if manifest.get("version") != FORMAT_VERSION:
        refuse(f"备份格式版本 {manifest.get('version')!r} 不受支持（本程序支持 {FORMAT_VERSION}）")
    listed = manifest.get("files")
    if not isinstance(listed, dict):
        refuse("manifest.json 缺少文件清单")
    missing = sorted(set(listed) - set(seen))
    extra = sorted(set(seen) - set(listed))
    if missing:
        refuse(f"缺少文件 {missing[0]}（共 {len(missing)} 个）")
    if extra:
        refuse(f"含有清单之外的文件 {extra[0]}")
    for member, expected in listed.items():
        if not isinstance(expected, dict) or seen[member] != {"sha256": expected.get("sha256"), "size": expected.get("size")}:
            refuse(f"文件 {member} 的校验值与清单不符")
    if not any(m.startswith("db/") for m in listed):
        refuse("不含数据库内容")

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(
        f"{app}.{migration}" for app, names in (manifest.get("migrations") or {}).items() for migration in names
        if (app, migration) not in known
    )
    if unknown:
        staged.cleanup()
        raise BackupError(
            f"备份 {name} 来自更新版本的程序（含本程序不认识的数据库迁移 {unknown[0]} 等 {len(unknown)} 个）："
            "请先升级程序再恢复。未做任何更改。"
        )
    staged.manifest = manifest
    _place_stored_files(staged, manifest)
    return staged


def _move_tree(source: Path, target: Path) -> None:
    """Move every file under `source` to the same place under `target` (replacing it there)."""
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, destination)
    shutil.rmtree(source, ignore_errors=True)


def _place_stored_files(staged: Staged, manifest: dict) -> None:
    """Put the stored files (materials, 授权书, objection attachments) where this platform's
    storage keeps them, whichever kind of storage made the backup; and the metering files of a
    backup made when they lay under MEDIA_ROOT/metering/ under METERING_ROOT."""
    legacy = staged.media / _LEGACY_MEDIA_METERING
    if legacy.is_dir():
        for path in sorted(p for p in legacy.rglob("*") if p.is_file()):
            destination = staged.metering / path.relative_to(legacy)
            if not destination.exists():
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, destination)
        shutil.rmtree(legacy, ignore_errors=True)
    made_local = manifest.get("materials_storage", "local") == "local"
    if _uses_local_storage() and not made_local:  # bucket objects → MEDIA_ROOT
        if (staged.work / "storage").is_dir():
            _move_tree(staged.work / "storage", staged.media)
    elif not _uses_local_storage() and made_local:  # MEDIA_ROOT's stored files → the bucket
        for folder in STORAGE_FOLDERS:
            if (staged.media / folder).is_dir():
                _move_tree(staged.media / folder, staged.work / "storage" / folder)


def _swap_in(new: Path, target: Path, old: Path) -> None:
    if target.exists():
        os.rename(target, old)
    os.rename(new, target)


def _swap_back(new: Path, target: Path, old: Path) -> None:
    if target.exists() and not new.exists():
        os.rename(target, new)
    if old.exists() and not target.exists():
        os.rename(old, target)


def _restore_object_storage(work: Path) -> None:
    """Make the bucket hold exactly the backup's objects (none, if it had none)."""
    root = work / "storage"
    wanted = {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()} if root.is_dir() else {}
    for name in list(_walk_storage(default_storage)):
        if name not in wanted:
            default_storage.delete(name)
    for name, local in wanted.items():
        if default_storage.exists(name):
            default_storage.delete(name)
        with open(local, "rb") as handle:
            saved = default_storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"对象存储把 {name} 存成了 {saved}，恢复未完成：请检查存储桶后重新恢复。")


def _expect_restored_audit_head(using: str) -> None:
    """Once the restore commits, checkpoint the restored head as a `restore` anchor: the rows
    after the backup are gone on purpose, and `duixian audit verify` compares from here on."""
    from duixian.audit.anchors import anchor_write
    from duixian.audit.models import AuditEvent

    head = (AuditEvent.objects.using(using).filter(seq__isnull=False).order_by("-seq")
            .values_list("seq", "hash").first()) or (0, "")
    transaction.on_commit(lambda: anchor_write("restore", *head), using=using)


def backup_restore(path: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Replace every table and file with the backup's; return its manifest. Atomic for the
    database and the local folders: any failure leaves the current data as it was."""
    from duixian.audit.services import audit_record

    staged = backup_stage(path)
    connection = connections[using]
    media_root, meter_root = Path(settings.MEDIA_ROOT), metering_root()
    swaps = [
        (staged.media, media_root, staged.media.parent / "old"),
        (staged.metering, meter_root, staged.metering.parent / "old"),
    ]
    done: list[tuple[Path, Path, Path]] = []
    try:
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql":  # the audit trail's TRUNCATE guard lets a restore through
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL duixian.audit_truncate = 'on'")
            call_command("flush", interactive=False, inhibit_post_migrate=True, database=using, verbosity=0)
            loaded: set = set()
            for dump in sorted((staged.work / "db").glob("*.json")):
                with open(dump, encoding="utf-8") as handle:
                    for obj in serializers.deserialize("json", handle, using=using):
                        obj.save(using=using)
                        loaded.add(type(obj.object))
            if loaded:
                statements = connection.ops.sequence_reset_sql(no_style(), sorted(loaded, key=lambda m: m._meta.label))
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
            connection.check_constraints()
            _expect_restored_audit_head(using)
            audit_record("ops.restore", username="system", detail={
                "file": Path(path).name, "backup_created_at": staged.manifest.get("created_at"),
                "backup_database_vendor": staged.manifest.get("database_vendor"),
            })
            for swap in swaps:
                _swap_in(*swap)
                done.append(swap)
    except BaseException:
        for swap in reversed(done):
            _swap_back(*swap)
        staged.cleanup()
        raise
    try:
        if not _uses_local_storage():
            _restore_object_storage(staged.work)
    finally:
        staged.cleanup()
    return staged.manifest


def backup_describe(path: str | os.PathLike) -> dict:
    """The manifest of a backup file without checking it (for the confirmation prompt)."""
    try:
        return json.loads(_read_manifest_bytes(Path(path)))
    except (tarfile.TarError, EOFError, OSError, KeyError, ValueError, AttributeError):
        return {}
