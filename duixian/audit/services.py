"""Writing and verifying the audit trail.

Every row's hash is SM3 (国密) over the previous hash and the row's canonical JSON, so an
edited, inserted or deleted row breaks the chain at a point `duixian audit verify` names.
Rows are written unsealed in the caller's transaction and sealed after it commits
(`audit_seal`), so concurrent requests never queue behind each other's transactions. After a
commit the request seals only when no other sealer is at work (that one chains the new row
too); the worker's housekeeping seals whatever a race left behind within seconds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, connections, router, transaction

from duixian.audit.anchors import anchor_path, anchor_write, anchors_read, chain_key, keyed_hash
from duixian.audit.models import AuditEvent
from duixian.core import clock
from duixian.core.clients import client_ip
from duixian.core.compiled import CompiledQuery

GENESIS = "0" * 64
_HASHED_FIELDS = (
    "seq", "at", "username", "role", "organisation_id", "city_code", "ip",
    "action", "object_type", "object_id", "outcome", "detail",
)


def sm3_hex(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def _canonical(values: dict) -> bytes:
    payload = dict(values)
    payload["at"] = payload["at"].isoformat(timespec="microseconds")
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def _row_hash(prev_hash: str, values: dict) -> str:
    """The unkeyed hash: rows sealed before the chain was keyed (see `audit_verify`)."""
    return sm3_hex(prev_hash.encode() + _canonical(values))


def _row_keyed_hash(prev_hash: str, values: dict, key: bytes | None = None) -> str:
    """What a row sealed now carries: HMAC-SM3 under AUDIT_CHAIN_KEY (audit.anchors)."""
    return keyed_hash(prev_hash, _canonical(values), key)


def audit_record(
    action: str,
    *,
    user=None,
    request=None,
    obj=None,
    object_type: str = "",
    object_id: str | int = "",
    outcome: str = "success",
    detail: dict | None = None,
    username: str = "",
    ip: str = "",
) -> AuditEvent:
    """Append one event. `user` defaults to the request's user; `obj` fills the object fields;
    `ip` stands in for the request's address when the work happens after the request."""
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    values = {
        "username": getattr(user, "username", "") or username,
        "role": getattr(user, "role", "") or "",
        "organisation_id": getattr(user, "organisation_id", None),
        "city_code": getattr(user, "city_code", "") or "",
        "ip": ip or client_ip(request),
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id or ""),
        "outcome": outcome,
        "detail": detail or {},
    }
    event = AuditEvent(**values, at=clock.now())
    event.save()
    # Sealed once the surrounding transaction commits (at once when there is none).
    if not _sealing_follows_commit():
        transaction.on_commit(_seal_unless_busy, robust=True)
    return event


def _sealing_follows_commit() -> bool:
    """Whether this transaction already runs a sealing after its commit, one that seals every row
    of it: the worker checks ten presses in one transaction, and each of the nine further sealings
    found nothing left (3-4 queries a press). A hook survives unless a savepoint it was registered
    in is rolled back; those still open are all around the row being written now, so a rollback
    that drops the hook drops the row as well."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    return any(func is _seal_unless_busy for _sids, func, _robust in connection.run_on_commit)


SEAL_BATCH = 1000
_SEAL_LOCK_KEY = 0x6475697869616E  # any fixed bigint; names the sealing step among advisory locks


def _seal_lock(wait: bool) -> bool:
    """Serialise sealers on PostgreSQL; on SQLite the write lock and the unique columns do it.
    Without `wait`, answer False at once when another sealer holds the lock."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK_KEY])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_SEAL_LOCK_KEY])
        return cursor.fetchone()[0]


def _seal_unless_busy() -> None:
    audit_seal(wait=False)


def audit_seal(*, wait: bool = True) -> int:
    """Chain every committed, unsealed row in id order; return how many were sealed.

    With wait=False (after a request's commit) return 0 at once when another sealer is at
    work: under a surge, hundreds of requests would otherwise queue for the lock one by one.
    The new head is checkpointed outside the database (audit.anchors) once the sealing commits."""
    head: list = []
    try:
        return _seal_rounds(wait, head)
    finally:
        if head:
            seq, row_hash = head[-1]
            transaction.on_commit(lambda: anchor_write("seal", seq, row_hash))


# The sealing's reads, compiled once per process (duixian.core.compiled): every request that
# writes an audit row seals after its commit, and building these through the ORM cost more CPU
# than running them. The rows are the ones the ORM builds (the same converters), so the hashes are.
_PENDING = CompiledQuery(AuditEvent, lambda: AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:SEAL_BATCH], ())
_LAST = CompiledQuery(AuditEvent, lambda: AuditEvent.objects.filter(seq__isnull=False).order_by("-seq")
                      .only("seq", "hash"), ())


class _ChainedMeanwhile(Exception):
    """A row this sealer read as pending was chained by another sealer since (SQLite locks no read)."""


def _chain(event_id: int, seq: int, prev_hash: str, row_hash: str) -> None:
    """`AuditEvent.objects.filter(pk=event_id, seq__isnull=True).update(seq=..., prev_hash=..., hash=...)`;
    raises _ChainedMeanwhile when that changed no row: the rest of this sealer's chain (and the head it
    would checkpoint) was worked out from a state the database no longer has."""
    alias = router.db_for_write(AuditEvent)
    quote = connections[alias].ops.quote_name
    with connections[alias].cursor() as cursor:
        cursor.execute(f"UPDATE {quote(AuditEvent._meta.db_table)} SET {quote('seq')} = %s, {quote('prev_hash')} = %s,"
                       f" {quote('hash')} = %s WHERE {quote('id')} = %s AND {quote('seq')} IS NULL",
                       [seq, prev_hash, row_hash, event_id])
        if cursor.rowcount != 1:
            raise _ChainedMeanwhile(event_id)


def _seal_rounds(wait: bool, head: list) -> int:
    sealed = 0
    attempts = 0
    while attempts < 50:
        try:
            with transaction.atomic():
                if not _seal_lock(wait):
                    return sealed
                pending = _PENDING.all()
                if not pending:
                    return sealed
                last = _LAST.first()
                prev_hash, seq = (last.hash, last.seq) if last else (GENESIS, 0)
                for event in pending:
                    seq += 1
                    values = {name: getattr(event, name) for name in _HASHED_FIELDS}
                    values["seq"] = seq
                    row_hash = _row_keyed_hash(prev_hash, values)
                    _chain(event.pk, seq, prev_hash, row_hash)
                    prev_hash = row_hash
                sealed += len(pending)
            head.append((seq, prev_hash))
            if len(pending) < SEAL_BATCH and not wait:
                return sealed  # rows committed meanwhile: their own request or housekeeping seals them
        except (IntegrityError, _ChainedMeanwhile):
            attempts += 1  # another sealer chained first (SQLite): read the new end and go on
    raise RuntimeError("审计日志封存冲突，请稍后重试。")


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    message: str


def audit_verify(extra_anchors=()) -> list[ChainProblem]:
    """Seal what is pending, then walk the chain in order; report every row whose content,
    order or link is wrong, and every checkpoint of the head (audit.anchors: the anchor file,
    and `extra_anchors`, e.g. a backup's) that the database no longer matches.

    Rows sealed since the chain is keyed carry HMAC-SM3 under AUDIT_CHAIN_KEY. Rows sealed
    before (an older version: the plain SM3 chain) verify unkeyed, but only before the first
    keyed row: once one row is keyed every later one must be. A chain rewritten unkeyed from
    its start no longer matches the keyed checkpoints of its head."""
    audit_seal()
    problems: list[ChainProblem] = []
    reading = anchors_read()
    if reading.unreadable:
        problems.append(ChainProblem(0, f"审计锚点文件 {anchor_path()} 无法读取：{reading.unreadable}。"))
    for where in reading.invalid:
        problems.append(ChainProblem(0, f"审计锚点 {where} 无效或校验码不符（锚点被改动，或 AUDIT_CHAIN_KEY 与写入时不同）。"))
    anchors = list(reading.anchors) + list(extra_anchors)
    wanted = {a.seq for a in anchors}
    found: dict[int, str] = {}
    key = chain_key()
    keyed_seen = False
    expected_prev, expected_seq = GENESIS, 1
    last_seq = 0
    for event in AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000):
        values = {name: getattr(event, name) for name in _HASHED_FIELDS}
        if event.seq != expected_seq:
            problems.append(ChainProblem(event.seq, f"序号 {expected_seq} 至 {event.seq - 1} 的记录缺失（被删除）。"))
        if event.prev_hash != expected_prev:
            problems.append(ChainProblem(event.seq, f"第 {event.seq} 条记录的前序哈希与上一条不符（记录被删除或插入）。"))
        prev = event.prev_hash or ""
        if _row_keyed_hash(prev, values, key) == event.hash:
            keyed_seen = True
        elif keyed_seen or _row_hash(prev, values) != event.hash:
            problems.append(ChainProblem(event.seq, f"第 {event.seq} 条记录的内容与其哈希不符（记录被篡改，"
                                                    f"或 AUDIT_CHAIN_KEY 与写入时不同）。"))
        if event.seq in wanted:
            found[event.seq] = event.hash
        expected_prev, expected_seq = event.hash, event.seq + 1
        last_seq = event.seq
    if keyed_seen and not reading.anchors:
        # Without a checkpoint nothing shows that the last rows are still there: a missing or
        # emptied anchor file must not let verify say the trail is complete (issue 16 review).
        problems.append(ChainProblem(last_seq + 1, f"未找到审计锚点：{anchor_path()} 不存在或没有有效的检查点，"
                                                   f"无法确认第 {last_seq} 条之后的记录没有被删除（请用 --backup "
                                                   f"指定最近的备份核对，并查看日志中的 audit-anchor 行）。"))
    problems += _anchor_problems(anchors, found, last_seq)
    return problems


def _anchor_problems(anchors, found: dict[int, str], last_seq: int) -> list[ChainProblem]:
    problems = []
    beyond = [a for a in anchors if a.seq > last_seq]
    if beyond:
        top = max(beyond, key=lambda a: a.seq)
        problems.append(ChainProblem(last_seq + 1, f"审计记录缺失：第 {last_seq} 条之后的记录被删除"
                                                   f"（锚点 {top.source} 记录审计日志已到第 {top.seq} 条，{top.at}）。"))
    for anchor in anchors:
        if 0 < anchor.seq <= last_seq and found.get(anchor.seq) != anchor.hash:
            problems.append(ChainProblem(anchor.seq, f"第 {anchor.seq} 条记录与锚点 {anchor.source} 不符"
                                                     f"（该条及之前的记录被改写后重算了哈希链）。"))
    return problems
