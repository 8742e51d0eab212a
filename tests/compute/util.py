"""Helpers for the compute subsidy tests: metering files in CSV and Parquet, and a runner."""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from duixian.compute.engine import OrgInfo, Period, compute_subsidy
from duixian.compute.metering import COLUMNS

# 2026 pack: 2025-08-16 … 2026-04-15 (inclusive) in Asia/Shanghai.
PERIOD = Period.from_dates(date(2025, 8, 16), date(2026, 4, 15), "Asia/Shanghai")
UNITS = [{"id": "card_hour", "name": "卡时", "base": True}]

# Valid codes (GB 32100 check character computed), see the comments for what each stands for.
A = "91340100MA2RXH7Q95"  # 合肥 enterprise, AGI
B = "91340104MA2TE0T01W"  # 合肥 enterprise, AGI, a compute provider
C1 = "91340100MA2AFF0L1Y"  # affiliates sharing a group
C2 = "91340100MA2AFF0L22"
U = "12340100MB00000031"  # university
X = "91110108MA01BJ0017"  # Beijing enterprise
P = "91340100MA2PARK019"  # park operator
N = "91340100MA2NEW001F"  # enterprise that is not an AGI enterprise
Z = "91340100MA2BUY0016"  # not in the organisations list
Q = "91340100MA2BUY0029"  # in the list, absent from the metering file
CENTRAL = "12100000MB0000001P"  # registered centrally (100000)

IN = "2025-09-01T10:00:00+08:00"
END = "2025-09-01T11:00:00+08:00"


def job(record_id, user, provider, amount, purpose="research", via="true", inprov="true",
        start=IN, end=None, unit="card_hour"):
    if end is None:  # a job ends when or after it starts (issue 16): a moved start moves the end
        end = END if start == IN else start
    return {"record_id": record_id, "user_uscc": user, "provider_uscc": provider,
            "amount": amount, "unit": unit, "purpose": purpose, "via_platform": via,
            "in_province": inprov, "started_at": start, "ended_at": end}


def org(uscc, kind="enterprise", *, name=None, independent=True, agi=True, group="",
        in_anhui=None) -> OrgInfo:
    return OrgInfo(uscc=uscc, name=name or f"单位{uscc[-4:]}", kind=kind,
                   independent_legal_person=independent, agi_enterprise=agi, group_id=group,
                   registered_in_anhui=in_anhui)


def write_csv(path: Path, rows, header=COLUMNS) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([r.get(c, "") for c in header] if isinstance(r, dict) else r)
    return path


def write_parquet_strings(path: Path, rows, columns=COLUMNS) -> Path:
    table = pa.table({c: pa.array([r.get(c) for r in rows], pa.string()) for c in columns})
    pq.write_table(table, path)
    return path


def write_parquet_typed(path: Path, rows) -> Path:
    def ts(text):
        return datetime.fromisoformat(text.replace("Z", "+00:00"))

    def flag(text):
        return {"true": True, "false": False}[text]

    table = pa.table({
        "record_id": pa.array([r["record_id"] for r in rows], pa.string()),
        "user_uscc": pa.array([r["user_uscc"] for r in rows], pa.string()),
        "provider_uscc": pa.array([r["provider_uscc"] for r in rows], pa.string()),
        "amount": pa.array([Decimal(r["amount"]) for r in rows], pa.decimal128(18, 6)),
        "unit": pa.array([r["unit"] for r in rows], pa.string()),
        "purpose": pa.array([r["purpose"] for r in rows], pa.string()),
        "via_platform": pa.array([flag(r["via_platform"]) for r in rows], pa.bool_()),
        "in_province": pa.array([flag(r["in_province"]) for r in rows], pa.bool_()),
        "started_at": pa.array([ts(r["started_at"]) for r in rows], pa.timestamp("us", tz="UTC")),
        "ended_at": pa.array([ts(r["ended_at"]) for r in rows], pa.timestamp("us", tz="UTC")),
    })
    pq.write_table(table, path)
    return path


def run(path, orgs=(), **kwargs):
    orgs_map = {o.uscc: o for o in orgs}
    kwargs.setdefault("period", PERIOD)
    kwargs.setdefault("units", UNITS)
    return compute_subsidy(path, orgs_map, **kwargs)


def by_uscc(outcome) -> dict[str, dict]:
    return {r.uscc: r.as_dict() for r in outcome.results}
