"""Benchmark: the 附件2 汇总表 xlsx for 5,000 recommended applications beside a raw openpyxl dump.

Both sides start from the database and end with xlsx bytes in memory:
  ours  = summary_data() (one query for the rows) + summary_xlsx() (write-only workbook, named
          styles, merged title and header lines, total row, seal area, print setup, and the
          rewrite that makes the bytes repeatable);
  raw   = the same rows with one values_list() query, appended as plain values to a write-only
          workbook with no styles, layout or rewrite.
Goal (issue 6): ours within 2x of raw, with a constant number of queries.

The 5,000 rows are inserted with bulk_create into a throwaway SQLite database (seeding data for
a benchmark, not a state change: no history, audit or notification is wanted here).

    .venv/bin/python bench/export_summary.py [--n 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.mkdtemp(prefix="duixian-bench-")
os.environ["DUIXIAN_VAR_DIR"] = _tmp
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duixian.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def seed(n: int) -> None:
    from duixian.applications.models import Application, ApplicationState
    from duixian.core.clock import SHANGHAI
    from duixian.orgs.models import OrgKind, OrgStatus, Organisation

    org = Organisation.objects.create(
        uscc="91340100MA2RXH7Q95", name="合肥星河智算科技有限公司", kind=OrgKind.ENTERPRISE, region_code="340100",
        city_code="340100", in_anhui=True, status=OrgStatus.CONFIRMED, independent_legal_person=True,
        agi_enterprise=True, owns_ip=True, credit_good=True, major_violation=False)
    start = datetime(2026, 4, 10, 8, 0, tzinfo=SHANGHAI)
    clauses = ("2", "4", "5")
    Application.objects.bulk_create([
        Application(organisation=org, city_code="340100", batch_id="anhui-2026", clause=clauses[i % 3],
                    project_name=f"通用人工智能场景应用示范项目第{i + 1:05d}号（合肥市高新区）",
                    amount_requested_wan=Decimal(i % 10000) / 100 + 1, contact_name="张晓明",
                    contact_phone=f"1315511{i % 10000:04d}", state=ApplicationState.RECOMMENDED,
                    reference=f"DX2026-340100-{i + 1:06d}", first_submitted_at=start + timedelta(seconds=37 * i),
                    last_submitted_at=start + timedelta(seconds=37 * i))
        for i in range(n)
    ], batch_size=1000)


def ours() -> tuple[bytes, int]:
    from duixian.exports.summary import summary_data, summary_xlsx

    with CaptureQueriesContext(connection) as queries:
        content = summary_xlsx(summary_data("340100"))
    return content, len(queries)


def raw() -> bytes:
    from openpyxl import Workbook

    from duixian.applications.models import Application

    rows = (Application.objects.filter(city_code="340100", state="recommended").order_by("first_submitted_at", "pk")
            .values_list("project_name", "clause", "amount_requested_wan", "contact_name", "contact_phone"))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("raw")
    ws.append(["序号", "项目名称", "依据政策条款", "拟申请兑现金额（万元）", "项目联系人及联系方式"])
    for n, (name, clause, amount, contact, phone) in enumerate(rows, start=1):
        ws.append([n, name, clause, amount, f"{contact} {phone}"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): CPU time stays fair on a busy shared machine."""
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    seed(args.n)
    content, query_count = ours()  # warm-up, and the query count
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    assert ws.max_row == args.n + 4 + 3, ws.max_row  # title, 2 header lines, column heads, rows, total, gap, seal
    raw()
    # Interleaved, so a busy machine slows both sides alike.
    ours_t, raw_t = [], []
    for _ in range(args.repeat):
        ours_t.append(timed(ours))
        raw_t.append(timed(raw))
    ow, oc = (statistics.median(t[i] for t in ours_t) for i in (0, 1))
    rw, rc = (statistics.median(t[i] for t in raw_t) for i in (0, 1))
    print(f"rows: {args.n}  repeat: {args.repeat}  (medians, database to xlsx bytes in memory)")
    print(f"  汇总表 export (summary_data + summary_xlsx): wall {ow:.3f} s  cpu {oc:.3f} s"
          f"  [{len(content):,} bytes, {query_count} queries]")
    print(f"  raw openpyxl write-only dump, same rows:      wall {rw:.3f} s  cpu {rc:.3f} s")
    print(f"  ratio: wall {ow / rw:.2f}x  cpu {oc / rc:.2f}x  (goal: within 2x)")
    mo, mr = oc, rc
    return 0 if mo <= 2 * mr else 1


if __name__ == "__main__":
    sys.exit(main())
