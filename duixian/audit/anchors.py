"""The audit chain's key, and checkpoints of its head kept outside the database.

The chain (audit.services) is keyed: each sealed row's hash is HMAC-SM3 under AUDIT_CHAIN_KEY
(from the environment, never stored in the database) over the previous hash and the row. With
the database alone nobody can recompute a valid chain after editing a row.

Deleting the LAST rows leaves a shorter chain that is still valid, so every sealing round also
writes a checkpoint of the head — sequence number, hash, time, and an HMAC-SM3 of those under
the same key — as one JSON line
- appended to the file AUDIT_ANCHOR_PATH (one `write` per line, O_APPEND: several processes may
  append at once), and
- to the log (logger `duixian.audit.anchor`, at most every AUDIT_ANCHOR_LOG_SECONDS per process,
  so journald/syslog holds a copy on another disk or host);
and every `duixian backup` stores one in its manifest (`audit_anchor`).

`duixian audit verify` reads these checkpoints and fails when the database no longer holds the
checkpointed row with the checkpointed hash ("审计记录缺失：第 N 条之后的记录被删除").

A restore (`duixian restore`) writes a `restore` checkpoint of the restored head: the rows after
the backup are gone on purpose, and verify compares only the checkpoints from the last restore on.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger("duixian.audit.anchor")

_CHAIN_DOMAIN = b"duixian-audit-chain\x00"
_ANCHOR_DOMAIN = b"duixian-audit-anchor\x00"
ANCHOR_VERSION = 1


def chain_key() -> bytes:
    return str(settings.AUDIT_CHAIN_KEY).encode()


def keyed_hash(prev_hash: str, canonical: bytes, key: bytes | None = None) -> str:
    """HMAC-SM3 of one row under the chain key (what a sealed row's `hash` holds)."""
    return hmac.new(key if key is not None else chain_key(), _CHAIN_DOMAIN + prev_hash.encode() + canonical,
                    "sm3").hexdigest()


def _anchor_mac(fields: dict, key: bytes | None = None) -> str:
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key if key is not None else chain_key(), _ANCHOR_DOMAIN + payload, "sm3").hexdigest()


@dataclass(frozen=True)
class Anchor:
    kind: str  # "seal" | "backup" | "restore"
    seq: int
    hash: str
    at: str
    source: str  # where it was read: "file:<line>", "backup", ...


def checkpoint(kind: str, seq: int, row_hash: str) -> dict:
    """A keyed checkpoint of the head (seq 0 and an empty hash: an empty trail)."""
    fields = {"v": ANCHOR_VERSION, "kind": kind, "seq": int(seq), "hash": row_hash or "",
              "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "host": socket.gethostname()}
    return {**fields, "mac": _anchor_mac(fields)}


def parse_checkpoint(data, source: str) -> Anchor:
    """An Anchor from a checkpoint dict; ValueError when malformed or its MAC is wrong."""
    if not isinstance(data, dict) or "mac" not in data:
        raise ValueError("not a checkpoint")
    fields = {k: v for k, v in data.items() if k != "mac"}
    if not hmac.compare_digest(str(data["mac"]), _anchor_mac(fields)):
        raise ValueError("mac")
    if not isinstance(fields.get("seq"), int) or fields.get("kind") not in {"seal", "backup", "restore"}:
        raise ValueError("fields")
    return Anchor(fields["kind"], fields["seq"], str(fields.get("hash", "")), str(fields.get("at", "")), source)


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_PATH)


_last_logged = 0.0


def anchor_write(kind: str, seq: int, row_hash: str) -> dict:
    """Append a checkpoint of the head to the anchor file (and, throttled, the log)."""
    global _last_logged
    line = checkpoint(kind, seq, row_hash)
    data = (json.dumps(line, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()
    path = anchor_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
    except OSError:
        logger.exception("审计锚点写入失败：%s", path)
    now = time.monotonic()
    if kind != "seal" or now - _last_logged >= settings.AUDIT_ANCHOR_LOG_SECONDS:
        _last_logged = now
        logger.info("audit-anchor %s", data.decode().strip())
    return line


@dataclass
class AnchorReading:
    anchors: list[Anchor]  # the highest valid checkpoint since the last restore (or none)
    invalid: list[str]  # where a line was malformed or its MAC did not match
    unreadable: str = ""  # why the file could not be read at all (it exists but is not readable)


def anchors_read(path: Path | None = None) -> AnchorReading:
    path = path or anchor_path()
    anchors: list[Anchor] = []
    invalid: list[str] = []
    try:
        handle = open(path, encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return AnchorReading([], [])
    except OSError as error:  # a directory in the way, no permission: verify says so, never a 500
        return AnchorReading([], [], unreadable=error.strerror or type(error).__name__)
    with handle:
        for number, raw in enumerate(handle, start=1):
            raw = raw.strip()
            if not raw:
                continue
            try:
                anchor = parse_checkpoint(json.loads(raw), f"{path}:{number}")
            except ValueError:
                invalid.append(f"{path}:{number}")
                continue
            # The highest checkpoint since the last restore is all that counts: the chain links
            # every earlier row to it.
            if anchor.kind == "restore" or not anchors or anchor.seq >= anchors[0].seq:
                anchors = [anchor]
    return AnchorReading(anchors, invalid)


def key_fingerprint() -> str:
    """Names the key without revealing it (for the operator comparing two machines)."""
    return hashlib.new("sm3", b"duixian-audit-key-id\x00" + chain_key()).hexdigest()[:12]


def backup_anchor(path) -> Anchor:
    """The checkpoint a `duixian backup` file holds in its manifest (`audit_anchor`)."""
    import tarfile

    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = json.loads(archive.extractfile("manifest.json").read(10 * 1024 * 1024))
    except (OSError, tarfile.TarError, KeyError, ValueError, AttributeError) as error:
        raise ValueError(f"无法读取备份文件 {path} 的清单：{type(error).__name__}") from error
    data = manifest.get("audit_anchor") if isinstance(manifest, dict) else None
    if data is None:
        raise ValueError(f"备份文件 {path} 中没有审计锚点（由较早版本生成）。")
    try:
        return parse_checkpoint(data, f"备份 {Path(path).name}")
    except ValueError as error:
        raise ValueError(f"备份文件 {path} 中的审计锚点校验码不符（被改动，或 AUDIT_CHAIN_KEY 与备份时不同）。") from error
