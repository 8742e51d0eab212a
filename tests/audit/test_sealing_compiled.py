"""The sealing's compiled reads and plain UPDATE (18b6693) chain exactly what the ORM path chained:
the same values (datetimes, JSON, None, Unicode) in the same order, so a trail sealed partly by
the older code and partly by the newer verifies; concurrent sealers never fork or skip the chain."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from duixian.audit import services
from duixian.audit.models import AuditEvent
from duixian.audit.services import GENESIS, _HASHED_FIELDS, _row_keyed_hash, audit_seal, audit_verify

pytestmark = pytest.mark.django_db(transaction=True)

HOSTILE_DETAILS = [
    {},
    {"名称": "合肥市某某科技有限公司", "emoji": "😀", "ctl": "\u0007\u001b[31m"},
    {"float": 0.1, "big": 2**62, "neg": -1, "none": None, "list": [1, "二", None, {"k": True}]},
    {"nested": {"z": 1, "a": {"deep": ["x", 1.5e-10]}}, "quote": "\"'\\</script>"},
    {"rtl": "\u202eevil", "surrogate_free": "\U0001F600"},
]


def _insert_rows(n_each=1):
    """Rows as audit_record writes them, with hostile values, at odd microseconds."""
    base = dt.datetime(2026, 12, 7, 18, 0, 0, 0, tzinfo=dt.UTC)
    rows = []
    for i, detail in enumerate(HOSTILE_DETAILS * n_each):
        event = AuditEvent(at=base + dt.timedelta(microseconds=i * 37), username="企业用户_" + str(i),
                           role="", organisation_id=None if i % 2 else 9_000_000_000 + i,
                           city_code="" if i % 3 else "340100", ip="" if i % 2 else "2001:db8::1",
                           action="test.改", object_type="", object_id="" if i % 2 else "7",
                           outcome="success", detail=detail)
        event.save()
        rows.append(event)
    return rows


def _orm_seal():
    """The sealing as it was before 18b6693 (ORM reads, ORM update), in one transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [services._SEAL_LOCK_KEY])
        pending = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[: services.SEAL_BATCH])
        last = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").only("seq", "hash").first()
        prev_hash, seq = (last.hash, last.seq) if last else (GENESIS, 0)
        for event in pending:
            seq += 1
            values = {name: getattr(event, name) for name in _HASHED_FIELDS}
            values["seq"] = seq
            row_hash = _row_keyed_hash(prev_hash, values)
            AuditEvent.objects.filter(pk=event.pk, seq__isnull=True).update(seq=seq, prev_hash=prev_hash, hash=row_hash)
            prev_hash = row_hash


def _chain():
    return list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash"))


def test_the_compiled_reads_build_the_values_the_orm_builds():
    _insert_rows()
    compiled = services._PENDING.all()
    orm = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id"))
    assert [e.pk for e in compiled] == [e.pk for e in orm]
    for mine, theirs in zip(compiled, orm, strict=True):
        for name in _HASHED_FIELDS:
            a, b = getattr(mine, name), getattr(theirs, name)
            assert (type(a), a) == (type(b), b), name
        assert mine.at.utcoffset() == theirs.at.utcoffset() == dt.timedelta(0)


def test_the_new_sealing_gives_the_same_hashes_as_the_orm_sealing():
    rows = _insert_rows(2)
    audit_seal()
    new_chain = _chain()
    # Undo the sealing below the application and seal again the old way.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        AuditEvent.objects.filter(pk__in=[r.pk for r in rows]).update(seq=None, prev_hash=None, hash=None)
    _orm_seal()
    assert _chain() == new_chain
    assert len(new_chain) == 2 * len(HOSTILE_DETAILS)


def test_a_trail_sealed_first_the_old_way_then_the_new_way_verifies():
    _insert_rows()
    _orm_seal()
    _insert_rows()
    assert audit_seal() == len(HOSTILE_DETAILS)
    _insert_rows()
    _orm_seal()
    assert [s for s, _p, _h in _chain()] == list(range(1, 3 * len(HOSTILE_DETAILS) + 1))
    assert audit_verify() == []


def test_sealing_inside_an_outer_transaction_that_rolls_back_leaves_the_rows_pending():
    rows = _insert_rows()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            assert audit_seal() == len(rows)
            assert AuditEvent.objects.filter(seq__isnull=True).count() == 0
            raise RuntimeError("the outer work fails")
    assert AuditEvent.objects.filter(seq__isnull=True).count() == len(rows)
    assert audit_seal() == len(rows)
    assert audit_verify() == []


def test_sealing_inside_an_outer_transaction_seals_its_own_uncommitted_rows():
    with transaction.atomic():
        rows = _insert_rows()
        assert audit_seal() == len(rows)
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 0
    assert audit_verify() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent sealers on PostgreSQL")
def test_concurrent_writers_and_sealers_never_fork_or_skip_the_chain():
    errors = []
    start = threading.Barrier(4)

    def work(waiting):
        try:
            start.wait()
            for _ in range(15):
                with transaction.atomic():
                    _insert_rows()
                audit_seal(wait=waiting)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i % 2 == 0,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    audit_seal()
    chain = _chain()
    assert [s for s, _p, _h in chain] == list(range(1, 4 * 15 * len(HOSTILE_DETAILS) + 1))
    assert all(chain[i][1] == chain[i - 1][2] for i in range(1, len(chain)))
    assert audit_verify() == []


def test_a_sealer_whose_rows_another_sealer_chained_meanwhile_starts_again_and_writes_no_false_checkpoint(monkeypatch):
    """Between a sealer's read of the pending rows and its UPDATEs, another sealer chained them
    (on SQLite nothing locks the read). Its UPDATEs then change nothing; it must read again
    rather than checkpoint a head the database never had (verify would call that tampering)."""
    _insert_rows()
    read = services._PENDING.all
    raced = []

    def stale_read():
        rows = read()
        if not raced:  # the other sealer gets there first, once
            raced.append(True)
            monkeypatch.setattr(services._PENDING, "all", read)
            audit_seal()
        return rows

    monkeypatch.setattr(services._PENDING, "all", stale_read)
    audit_seal()
    assert raced
    assert [s for s, _p, _h in _chain()] == list(range(1, len(HOSTILE_DETAILS) + 1))
    assert audit_verify() == []
