"""The engine's output pinned byte for byte on a generated metering file (issue 22).

The files under ``golden/`` were written by the engine before its repeat check and its
aggregation were merged into one scan; any rewrite of the engine for speed must give the same
JSON and CSV bytes (and, for a refused file, the same problems in the same order), for the same
rows as CSV, as string Parquet and as typed Parquet.

Regenerate (only when the *meaning* changes, never for speed):
``DUIXIAN_WRITE_GOLDEN=1 .venv/bin/python -m pytest tests/compute/test_engine_golden.py -p no:cacheprovider``
"""

from __future__ import annotations

import os
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from duixian.compute.metering import MeteringError
from duixian.compute.output import render

from .util import PERIOD, job, org, run, write_csv, write_parquet_strings, write_parquet_typed

GOLDEN = Path(__file__).parent / "golden"
UNITS = {"card_hour": 1, "gpu_minute": "0.016667"}


def _codes():
    from stdnum.cn import uscc

    out = []
    for i in range(40):
        base = f"91340100MA2G{i:05d}"
        out.append(base + uscc.calc_check_digit(base))
    return out


CODES = _codes()
ORGS = [
    org(c, kind=("enterprise", "university", "research_institute", "park_operator", "team")[i % 5],
        agi=None if i % 7 == 0 else i % 3 != 0, independent=i % 11 != 0,
        group=f"g{i // 3}" if i % 4 == 0 else "")
    for i, c in enumerate(CODES[:34])  # the last six are unknown organisations
]


def _rows(n=3000, seed=22, conflicts=False):
    rnd = random.Random(seed)
    start = datetime(2025, 8, 10, tzinfo=timezone(timedelta(hours=8)))
    rows = []
    for i in range(n):
        t = start + timedelta(minutes=rnd.randrange(0, 60 * 24 * 260))
        offset = rnd.choice([8, 8, 8, 0, -4, 9])
        local = t.astimezone(timezone(timedelta(hours=offset)))
        user, provider = rnd.choice(CODES), rnd.choice(CODES + CODES[:5] * 4)
        if rnd.random() < 0.05:
            user = user.lower()  # upper-cased by the engine
        rows.append(job(
            f"r{i:05d}", user, provider,
            f"{rnd.randrange(0, 10**7) / 10**rnd.choice([0, 2, 3, 6]):.6f}".rstrip("0").rstrip("."),
            purpose=rnd.choice(["research"] * 4 + ["business"]),
            via=rnd.choice(["true"] * 9 + ["false"]), inprov=rnd.choice(["true"] * 9 + ["false"]),
            start=local.isoformat(), end=(local + timedelta(hours=1)).isoformat(),
            unit=rnd.choice(["card_hour"] * 5 + ["gpu_minute"]),
        ))
    # identical repeats: pairs and triples, some with the USCC written in another case
    for i in rnd.sample(range(n), 60):
        copy = dict(rows[i])
        if i % 2:
            copy["user_uscc"] = copy["user_uscc"].lower()
        rows.insert(rnd.randrange(0, len(rows)), copy)
        if i % 5 == 0:
            rows.append(dict(copy))
    if conflicts:
        for i in rnd.sample(range(n), 4):
            copy = dict(rows[i], amount="1.5")
            rows.insert(rnd.randrange(0, len(rows)), copy)
        rows[17]["amount"] = "-1"
        rows[99]["started_at"] = "2025-09-01T10:00:00"
        rows[400]["purpose"] = "fun"
    return rows


WRITERS = {"csv": write_csv, "parquet-strings": write_parquet_strings,
           "parquet-typed": write_parquet_typed}


def _check(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("DUIXIAN_WRITE_GOLDEN"):
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{name} differs from the engine's pinned output"


@pytest.mark.parametrize("kind", list(WRITERS))
def test_results_are_the_pinned_bytes(tmp_path, kind):
    path = WRITERS[kind](tmp_path / f"metering.{kind}", _rows())
    outcome = run(path, ORGS, units=UNITS)
    # The same results whatever the file type: one golden file per format.
    _check("results.json", render(outcome.results, "json"))
    _check("results.csv", render(outcome.results, "csv"))
    stats = outcome.stats
    assert (stats.rows, stats.duplicates, stats.organisations) == (3000, 77, 40)


@pytest.mark.parametrize("kind", ["csv", "parquet-strings"])
def test_refused_file_gives_the_pinned_problems(tmp_path, kind):
    path = WRITERS[kind](tmp_path / f"metering.{kind}", _rows(conflicts=True))
    with pytest.raises(MeteringError) as refused:
        run(path, ORGS, units=UNITS)
    _check("refused.txt", "".join(f"{p}\n" for p in refused.value.problems).encode())


def test_the_period_is_the_2026_pack_s():
    # the generated rows straddle both ends of this period
    assert PERIOD.start.isoformat() == "2025-08-16T00:00:00+08:00"


@pytest.mark.parametrize("id_hash", [
    # the 64-bit hash of files beyond HASH32_MAX_ROWS
    lambda record_id, rows: f"hash({record_id})",
    # a hash that makes nearly every row a repeat candidate: ids that only share a hash
    # must be told apart by the ids and columns themselves, never deduplicated or refused
    lambda record_id, rows: f"hash({record_id}) % 3",
])
@pytest.mark.parametrize("conflicts", [False, True])
def test_ids_sharing_a_hash_are_compared_whole(tmp_path, monkeypatch, id_hash, conflicts):
    from duixian.compute import engine

    monkeypatch.setattr(engine, "_id_hash", id_hash)
    path = write_csv(tmp_path / "metering.csv", _rows(conflicts=conflicts))
    if conflicts:
        with pytest.raises(MeteringError) as refused:
            run(path, ORGS, units=UNITS)
        _check("refused.txt", "".join(f"{p}\n" for p in refused.value.problems).encode())
        return
    outcome = run(path, ORGS, units=UNITS)
    _check("results.json", render(outcome.results, "json"))
    stats = outcome.stats
    assert (stats.rows, stats.duplicates, stats.organisations) == (3000, 77, 40)
