"""Loading and activating pack versions (补充通知): validated whole, stored, activated, audited.

A new version must be a valid pack (every problem is reported with its place, and a bad pack
changes nothing), keep the batch id, carry a new version string and differ from the version in
force. A file with a batch id not yet running starts a new batch beside the others (next year's
notice loaded while this year's is open); every batch keeps its own version in force. The
version in force before any load is the file shipped with the code; it is recorded as its
batch's first version the first time a version of that batch is loaded (or by `duixian demo` /
`duixian pack load`), so the province can always roll back to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _, gettext_noop

from duixian import authz
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.core.errors import DomainError

from . import diff as pack_diff_module
from .active import _pack_for, forget_active
from .models import PackVersion
from .pack import DEFAULT_PACK_PATH, Pack, PackError, PackProblem, default_pack, load_pack_text

# Stored in Chinese (the version's note, who loaded it; the audit's user); the versions page
# translates them as it shows them.
SHIPPED_NOTE = gettext_noop("随程序发布的政策包")
CLI_LABEL = gettext_noop("（命令行）")


class PackVersionError(DomainError):
    """A refused load or activation; `message` is Chinese, `problems` name their places."""

    def __init__(self, message: str, problems: list[PackProblem] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


@dataclass
class LoadPreview:
    """A validated upload before it is confirmed: the new pack, the one in force, the changes."""

    pack: Pack
    current: Pack | None  # None: the upload starts a new batch
    current_row: PackVersion | None
    changes: list[dict]
    records_shipped: bool = False  # the upload is the shipped file, recorded as the first version

    @property
    def new_batch(self) -> bool:
        return self.current is None

    @property
    def failed_cases(self) -> list[str]:
        """The pack's own test cases that fail (a warning, not a refusal: a 补充通知 that moves a
        boundary leaves the old boundary cases wrong until they are updated too)."""
        if not hasattr(self, "_failed_cases"):
            from .packtest import run_cases

            self._failed_cases = [f"#{r.index + 1} {r.name}：{'；'.join(r.problems)}" for r in run_cases(self.pack) if not r.ok]
        return self._failed_cases

    @property
    def summary(self) -> str:
        return pack_diff_module.summary(self.changes)


def _user_label(user) -> str:
    if user is None:
        return CLI_LABEL
    return getattr(user, "full_name", "") or user.username


def _check_user(user) -> None:
    if user is None:  # an operator on the server's command line
        return
    allowed, reason = authz.check(user, "policy.versions")
    if not allowed:
        raise PackVersionError(reason)


def _line_of(text: str, section: str, key: str) -> int | None:
    """The line of `key:` inside the top-level `section:` (for problems the loader cannot place)."""
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"^{re.escape(section)}:\s*$", line):
            inside = True
        elif inside and re.match(r"^\S", line):
            inside = False
        elif inside and re.match(rf"^\s+{re.escape(key)}:", line):
            return number
    return None


def _active_of(batch_id: str) -> PackVersion | None:
    return PackVersion.objects.active().of_batch(batch_id).first()


def _pack_of(row: PackVersion) -> Pack:
    try:
        return _pack_for(row.digest, row.pk)
    except PackError as e:
        raise PackVersionError(_("版本 %(version)s 无法按当前程序加载。") % {"version": row.version}, e.problems) from None


def pack_version_preview(yaml_text: str, *, source: str = "上传的文件") -> LoadPreview:
    """Validate an upload without writing anything; raise PackVersionError listing every problem.

    The file's batch id says what it is: a new version (补充通知) of a batch already running, or
    a new batch (next year's notice, another bureau's) that runs beside the others."""
    try:
        pack = load_pack_text(yaml_text, source)
    except PackError as e:
        raise PackVersionError(_("政策包有 %(n)s 处错误，未加载。") % {"n": len(e.problems)}, e.problems) from None
    shipped = default_pack()
    current_row = _active_of(pack.batch_id)
    if current_row is not None:
        current = _pack_of(current_row)
    elif pack.batch_id == shipped.batch_id:
        current = shipped
    else:  # a new batch: nothing to compare with
        return LoadPreview(pack, None, None, pack_diff_module.pack_diff(None, pack))
    # Nothing of this batch in the database yet and the upload is the shipped file: record it.
    if current_row is None and pack.digest == shipped.digest:
        return LoadPreview(pack, current, None, pack_diff_module.pack_diff(None, pack), records_shipped=True)
    problems = []
    known = set(PackVersion.objects.of_batch(pack.batch_id).values_list("version", flat=True))
    if pack.batch_id == shipped.batch_id and not known:
        known.add(shipped.version)
    if pack.version in known or pack.version == current.version:
        problems.append(PackProblem(
            "batch.version",
            _("版本 %(version)s 已存在。新版本须使用新的版本号（例如 %(next)s）。")
            % {"version": pack.version, "next": _next_version(current.version)},
            _line_of(yaml_text, "batch", "version"),
        ))
    if pack.digest == current.digest:
        problems.append(PackProblem("(文件)", _("与现行版本的文件完全相同，无须加载。")))
    if problems:
        raise PackVersionError(_("政策包有 %(n)s 处问题，未加载。") % {"n": len(problems)}, problems)
    return LoadPreview(pack, current, current_row, pack_diff_module.pack_diff(current, pack))


def _next_version(version: str) -> str:
    m = re.match(r"^(.*?)(\d+)$", version)
    return f"{m.group(1)}{int(m.group(2)) + 1}" if m else f"{version}.1"


def _record(pack: Pack, text: str, *, user, note: str, changes: list[dict]) -> PackVersion:
    now = clock.now()
    return PackVersion.objects.create(
        batch_id=pack.batch_id, version=pack.version, digest=pack.digest, yaml_text=text, note=note[:200],
        loaded_by=user, loaded_by_label=_user_label(user), loaded_at=now, is_active=True, activated_at=now,
        changes=changes,
    )


def _record_shipped(*, user=None, request=None, note: str = "") -> PackVersion:
    """Store the shipped file as the first version of its batch (inside the caller's transaction)."""
    shipped = default_pack()
    text = DEFAULT_PACK_PATH.read_text(encoding="utf-8")
    row = _record(shipped, text, user=user, note=note or SHIPPED_NOTE, changes=pack_diff_module.pack_diff(None, shipped))
    audit_record("policy.pack_load", user=user, request=request, obj=row, username="" if user else CLI_LABEL,
                 detail={"batch_id": row.batch_id, "old_version": None, "old_digest": None,
                         "new_version": row.version, "new_digest": row.digest, "note": row.note,
                         "shipped": True, "changes": row.changes, "summary": "首次记录随程序发布的政策包"})
    return row


def pack_version_load(yaml_text: str, *, user, note: str, request=None,
                      expected_digest: str | None = None) -> PackVersion:
    """Validate, store and activate a new version; audited as policy.pack_load with the diff.
    A new batch id starts a new batch: the other batches' versions stay in force.

    `expected_digest` (from the confirmation page) refuses a text other than the one previewed.
    """
    _check_user(user)
    note = (note or "").strip()
    try:
        with transaction.atomic():
            preview = pack_version_preview(yaml_text)
            pack = preview.pack
            if expected_digest and expected_digest != pack.digest:
                raise PackVersionError(_("确认的文件与预览的文件不一致，请重新上传。"))
            if preview.records_shipped:
                row = _record_shipped(user=user, request=request, note=note)
                forget_active()
                return row
            old = preview.current_row
            if old is None and pack.batch_id == default_pack().batch_id:
                # so the province can roll back to the shipped version
                old = _record_shipped(user=user, request=request)
                old_pack = default_pack()
            else:
                old_pack = preview.current if old is not None else None
            if old is not None:
                PackVersion.objects.filter(pk=old.pk).update(is_active=False)
            row = _record(pack, yaml_text, user=user, note=note, changes=preview.changes)
            audit_record(
                "policy.pack_load", user=user, request=request, obj=row, username="" if user else CLI_LABEL,
                detail={
                    "batch_id": row.batch_id,
                    "old_version": old_pack.version if old_pack else None,
                    "old_digest": old_pack.digest if old_pack else None,
                    "new_version": row.version, "new_digest": row.digest, "note": note,
                    "changes": preview.changes, "summary": preview.summary,
                    "failed_cases": preview.failed_cases, "new_batch": preview.new_batch,
                },
            )
            forget_active()
            return row
    except IntegrityError:
        raise PackVersionError(_("另一位工作人员刚刚加载或切换了政策包版本，请刷新页面查看后再试。")) from None


def pack_version_activate(pk: int, user, *, request=None) -> PackVersion:
    """Make an earlier version the one in force again (roll back); audited as policy.pack_activate."""
    _check_user(user)
    try:
        with transaction.atomic():
            target = PackVersion.objects.select_for_update().filter(pk=pk).first()
            if target is None:
                raise PackVersionError(_("没有这个政策包版本。"))
            if target.is_active:
                raise PackVersionError(_("版本 %(version)s 已是现行版本。") % {"version": target.version})
            new_pack = _pack_of(target)
            old = _active_of(target.batch_id)
            old_pack = _pack_of(old) if old else None
            if old is not None:
                PackVersion.objects.filter(pk=old.pk).update(is_active=False)
            target.is_active = True
            target.activated_at = clock.now()
            target.save(update_fields=["is_active", "activated_at"])
            changes = pack_diff_module.pack_diff(old_pack, new_pack)
            audit_record(
                "policy.pack_activate", user=user, request=request, obj=target, username="" if user else CLI_LABEL,
                detail={
                    "batch_id": target.batch_id,
                    "old_version": old.version if old else None, "old_digest": old.digest if old else None,
                    "new_version": target.version, "new_digest": target.digest,
                    "changes": changes, "summary": pack_diff_module.summary(changes),
                },
            )
            forget_active()
            return target
    except IntegrityError:
        raise PackVersionError(_("另一位工作人员刚刚加载或切换了政策包版本，请刷新页面查看后再试。")) from None


def pack_version_load_file(path, *, note: str = "") -> tuple[PackVersion, bool]:
    """`duixian pack load FILE`: (version, created). A file already stored (same batch and digest)
    is left as it is, active or not, so running it again changes nothing."""
    from pathlib import Path

    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PackVersionError(f"{path} 不是 UTF-8 编码的文本文件。") from None
    except OSError as e:
        raise PackVersionError(f"无法读取 {path}：{e.strerror or e}") from None
    try:
        pack = load_pack_text(text, str(path))
    except PackError as e:
        raise PackVersionError(f"政策包有 {len(e.problems)} 处错误，未加载。", e.problems) from None
    existing = PackVersion.objects.of_batch(pack.batch_id).filter(digest=pack.digest).first()
    if existing is not None:
        return existing, False
    return pack_version_load(text, user=None, note=note), True


def pack_version_record_shipped() -> PackVersion | None:
    """`duixian demo`: the shipped pack as its batch's first version, once. None when already there."""
    shipped = default_pack()
    if PackVersion.objects.of_batch(shipped.batch_id).exists():
        return None
    with transaction.atomic():
        row = _record_shipped()
        forget_active()
    return row
