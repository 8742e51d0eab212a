"""Which pack each batch runs on: `pack_of(batch_id)`, `batches()`, `open_batches(now)`, and
`current_pack()` for the default batch.

A batch (批次) is one notice: its active PackVersion's pack, else — for the batch of the file
shipped with the code, while the database holds no version of it — pack.default_pack(). Several
batches run side by side (a province loads next year's notice while this year's is open); an
application, its review, decision, 公示 and exports are judged by their own batch's pack,
`pack_of(application.batch_id)`. `current_pack()` is the default batch, for pages that belong to
no application (the notice, the calculator, the sandbox): the batch taking applications now
(the one opened last, if several), else the last one that opened, else the first to open.

Parsing a pack takes ~0.3 s, so each digest is parsed once per process and kept. Which
versions are active costs at most one query, for every batch at once:

- inside a request, the first call remembers the packs for the rest of the request (a
  context variable reset on request_started/request_finished), so one page never mixes two
  versions of a batch and a list calling this per row adds no query;
- the active digests are kept in Django's cache for POLICY_PACK_CHECK_SECONDS (default 5 s);
  loading or activating a version clears them at once (and again on commit), so this process
  sees the change immediately and other processes within those seconds (at once with a
  shared cache such as Redis).

The pure engine and the command-line calculator keep using default_pack() or a named file.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, connection, transaction

from duixian.core import clock

from .pack import Pack, default_pack, load_pack_text

CACHE_KEY = "duixian:policy:active-packs"
_NONE = "-"  # cached marker: the database holds no active version (only the shipped file)

_parsed: dict[str, Pack] = {}
_parsed_lock = threading.Lock()
_request_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("duixian_pack_memo", default=None)


def _check_seconds() -> float:
    return float(getattr(settings, "POLICY_PACK_CHECK_SECONDS", 5))


def _active_rows() -> list[tuple[str, int]]:
    """(digest, pk) of every batch's active version, one query."""
    from .models import PackVersion

    try:
        return [tuple(row) for row in PackVersion.objects.active().order_by("activated_at", "pk").values_list("digest", "pk")]
    except DatabaseError:
        # Tables not migrated yet (a fresh checkout running a command): the shipped file is the
        # only pack there is. Inside a transaction the error must surface (PostgreSQL aborts it).
        if connection.in_atomic_block:
            raise
        return []


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


def _load_batches() -> dict[str, Pack]:
    marker = cache.get(CACHE_KEY)
    if marker is None:
        rows = _active_rows()
        marker = ";".join(f"{digest}:{pk}" for digest, pk in rows) or _NONE
        cache.set(CACHE_KEY, marker, _check_seconds())
    packs: dict[str, Pack] = {}
    if marker != _NONE:
        for item in marker.split(";"):
            digest, pk = item.split(":")
            pack = _pack_for(digest, int(pk))
            packs[pack.batch_id] = pack
    shipped = default_pack()
    packs.setdefault(shipped.batch_id, shipped)  # the shipped file until a version of its batch is stored
    return dict(sorted(packs.items(), key=lambda item: (item[1].application_open, item[0])))


def _batches() -> dict[str, Pack]:
    memo = _request_memo.get()
    if memo is not None and "packs" in memo:
        return memo["packs"]
    packs = _load_batches()
    if memo is not None:
        memo["packs"] = packs
    return packs


def batches() -> list[Pack]:
    """Every batch's pack in force, in the order their applications open."""
    return list(_batches().values())


def open_batches(now: dt.datetime) -> list[Pack]:
    """The batches taking applications at `now` (the closing instant is closed)."""
    return [pack for pack in batches() if pack.application_window_contains(now)]


def has_batch(batch_id: str) -> bool:
    return batch_id in _batches()


def pack_of(batch_id: str) -> Pack:
    """The pack in force for one batch. A batch id no version carries (a row written by hand)
    gets the default batch's pack rather than a crashed page."""
    return _batches().get(batch_id) or current_pack()


def default_batch(packs: list[Pack], now: dt.datetime) -> Pack:
    """The batch taking applications now (opened last), else the last one opened, else the first."""
    opened = [pack for pack in packs if pack.application_open <= now]
    taking = [pack for pack in opened if pack.application_window_contains(now)]
    if taking:
        return taking[-1]
    return opened[-1] if opened else packs[0]


def current_pack() -> Pack:
    """The default batch's pack (see the module docstring): for pages that belong to no batch."""
    return default_batch(batches(), clock.now())


def forget_active() -> None:
    """Called when an active version changes: now, and again once the transaction commits."""
    cache.delete(CACHE_KEY)
    memo = _request_memo.get()
    if memo is not None:
        memo.pop("packs", None)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


@contextmanager
def pack_pinned():
    """One set of packs for a whole job outside a request (a task, a command):
    `with pack_pinned() as pack:` (the default batch's). Inside, current_pack() and pack_of() cost
    nothing and never switch version halfway."""
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
    """From PolicyConfig.ready(): one set of packs per request."""
    request_started.connect(_request_begins, dispatch_uid="duixian.policy.active.begin")
    request_finished.connect(_request_ends, dispatch_uid="duixian.policy.active.end")
