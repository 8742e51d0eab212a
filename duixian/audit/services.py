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

from django.db import IntegrityError, transaction

from duixian.audit.models import AuditEvent
from duixian.core import clock

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
    return sm3_hex(prev_hash.encode() + _canonical(values))


def client_ip(request) -> str:
    """The client's address. Behind N trusted proxies (TRUSTED_PROXY_COUNT) it is the N-th
    address from the right of X-Forwarded-For, the one our own nearest proxy saw; anything
    further left was written by the client and is not trusted."""
    if request is None:
        return ""
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= proxies:
            return chain[-proxies][:45]
    return remote[:45]


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
    transaction.on_commit(_seal_unless_busy, robust=True)
    return event


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
    work: under a surge, hundreds of requests would otherwise queue for the lock one by one."""
    sealed = 0
    attempts = 0
    while attempts < 50:
        try:
            with transaction.atomic():
                if not _seal_lock(wait):
                    return sealed
                pending = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:SEAL_BATCH])
                if not pending:
                    return sealed
                last = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").only("seq", "hash").first()
                prev_hash, seq = (last.hash, last.seq) if last else (GENESIS, 0)
                for event in pending:
                    seq += 1
                    values = {name: getattr(event, name) for name in _HASHED_FIELDS}
                    values["seq"] = seq
                    row_hash = _row_hash(prev_hash, values)
                    AuditEvent.objects.filter(pk=event.pk, seq__isnull=True).update(
                        seq=seq, prev_hash=prev_hash, hash=row_hash
                    )
                    prev_hash = row_hash
                sealed += len(pending)
            if len(pending) < SEAL_BATCH and not wait:
                return sealed  # rows committed meanwhile: their own request or housekeeping seals them
        except IntegrityError:
            attempts += 1  # another sealer chained first (SQLite): read the new end and go on
    raise RuntimeError("审计日志封存冲突，请稍后重试。")


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    message: str


def audit_verify() -> list[ChainProblem]:
    """Seal what is pending, then walk the chain in order; report every row whose content,
    order or link is wrong."""
    audit_seal()
    problems: list[ChainProblem] = []
    expected_prev, expected_seq = GENESIS, 1
    for event in AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000):
        values = {name: getattr(event, name) for name in _HASHED_FIELDS}
        if event.seq != expected_seq:
            problems.append(ChainProblem(event.seq, f"序号 {expected_seq} 至 {event.seq - 1} 的记录缺失（被删除）。"))
        if event.prev_hash != expected_prev:
            problems.append(ChainProblem(event.seq, f"第 {event.seq} 条记录的前序哈希与上一条不符（记录被删除或插入）。"))
        if _row_hash(event.prev_hash, values) != event.hash:
            problems.append(ChainProblem(event.seq, f"第 {event.seq} 条记录的内容与其哈希不符（记录被篡改）。"))
        expected_prev, expected_seq = event.hash, event.seq + 1
    return problems
