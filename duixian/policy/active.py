"""`current_pack()`: the pack every Django page, service and export uses.

The active PackVersion's pack when the province has loaded one, else the file shipped with the
code (pack.default_pack). Parsing a pack takes ~0.3 s, so each digest is parsed once per
process and kept. Which digest is active costs at most one query:

- inside a request, the first call remembers the pack for the rest of the request (a
  context variable reset on request_started/request_finished), so one page never mixes two
  versions and a list calling this per row adds no query;
- the active digest is kept in Django's cache for POLICY_PACK_CHECK_SECONDS (default 5 s);
  loading or activating a version clears it at once (and again on commit), so this process
  sees the change immediately and other processes within those seconds (at once with a
  shared cache such as Redis).

The pure engine and the command-line calculator keep using default_pack() or a named file.
"""

from __future__ import annotations

import contextvars
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, connection, transaction

from .pack import Pack, default_pack, load_pack_text

CACHE_KEY = "duixian:policy:active-pack"
_NONE = "-"  # cached marker: the database holds no version (use the shipped file)

_parsed: dict[str, Pack] = {}
_parsed_lock = threading.Lock()
_request_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("duixian_pack_memo", default=None)


def _check_seconds() -> float:
    return float(getattr(settings, "POLICY_PACK_CHECK_SECONDS", 5))


def _active_row() -> tuple[str, int] | None:
    """(digest, pk) of the active version of the most recently activated batch, or None."""
    from .models import PackVersion

    try:
        row = (PackVersion.objects.active().order_by("-activated_at", "-pk").values_list("digest", "pk").first())
    except DatabaseError:
        # Tables not migrated yet (a fresh checkout running a command): the shipped file is the
        # only pack there is. Inside a transaction the error must surface (PostgreSQL aborts it).
        if connection.in_atomic_block:
            raise
        return None
    return tuple(row) if row else None


def _pack_for(digest: str, pk: int) -> Pack:
    pack = _parsed.get(digest)
    if pack is not None:
        return pack
    shipped = default_pack()
    if digest == shipped.digest:
        pack = shipped
    else:
        from .models import PackVersion

        version = PackVersion.objects.only("yaml_text", "batch_id", "version").get(pk=pk)
        pack = load_pack_text(version.yaml_text, f"政策包 {version.batch_id} {version.version}")
    with _parsed_lock:
        _parsed.setdefault(digest, pack)
        # Keep a few versions only: a long-running process may see several loads and rollbacks.
        while len(_parsed) > 8:
            _parsed.pop(next(iter(_parsed)))
    return _parsed[digest]


def current_pack() -> Pack:
    """The pack in force now (see the module docstring for what it costs)."""
    memo = _request_memo.get()
    if memo is not None and "pack" in memo:
        return memo["pack"]
    marker = cache.get(CACHE_KEY)
    if marker is None:
        row = _active_row()
        marker = f"{row[0]}:{row[1]}" if row else _NONE
        cache.set(CACHE_KEY, marker, _check_seconds())
    if marker == _NONE:
        pack = default_pack()
    else:
        digest, pk = marker.split(":")
        pack = _pack_for(digest, int(pk))
    if memo is not None:
        memo["pack"] = pack
    return pack


def forget_active() -> None:
    """Called when the active version changes: now, and again once the transaction commits."""
    cache.delete(CACHE_KEY)
    memo = _request_memo.get()
    if memo is not None:
        memo.pop("pack", None)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


@contextmanager
def pack_pinned():
    """One pack for a whole job outside a request (a task, a command): `with pack_pinned() as pack:`.
    Inside, current_pack() costs nothing and never switches version halfway."""
    token = _request_memo.set({})
    try:
        yield current_pack()
    finally:
        _request_memo.reset(token)


def _request_begins(**kwargs) -> None:
    _request_memo.set({})


def _request_ends(**kwargs) -> None:
    _request_memo.set(None)


def connect_signals() -> None:
    """From PolicyConfig.ready(): one pack per request."""
    request_started.connect(_request_begins, dispatch_uid="duixian.policy.active.begin")
    request_finished.connect(_request_ends, dispatch_uid="duixian.policy.active.end")
