"""Benchmark: `duixian subsidy compute` against raw deduplicating DuckDB queries (issues 8, 22).

    .venv/bin/python bench/compute_subsidy.py                       # 10 million records, 5 runs
    .venv/bin/python bench/compute_subsidy.py --rows 1M --repeat 7
    .venv/bin/python bench/compute_subsidy.py --rows 100M --repeat 1 --raw-memory-limit 8GB --cleanup
    .venv/bin/python bench/compute_subsidy.py --startup [--repeat 11]   # start-up only

Generates a typed Parquet metering file (decimal, boolean, timestamp with zone; 0.1 % identical
repeats of a record_id) and an organisations CSV under bench/out/ with DuckDB itself, streaming
from ``range()`` with bounded memory (100M rows ≈ 2.8 GB on disk; ``--cleanup`` deletes them
afterwards), then runs, each in its own process so that time and peak memory are measured alike,
interleaved (ours, raw 1, raw 2, ours, …):

* ours: the real command, `duixian subsidy compute --metering … --orgs … --out …`, which also
  validates every row, finds repeats, classifies every job into the five buckets and writes JSON;
* raw DISTINCT *:  `SELECT user_uscc, provider_uscc, sum(amount) FROM (SELECT DISTINCT * …)
  GROUP BY ALL` (issue 22's stronger baseline);
* raw DISTINCT ON: the same over `SELECT DISTINCT ON (record_id) *` (issue 8's baseline);

both raw ones with DuckDB's default settings unless ``--raw-memory-limit`` is given. Prints for
each the median wall time (process start to exit) and CPU seconds (user + system, which a busy
machine disturbs less than wall time) over the runs, the peak RSS (ru_maxrss of the child,
measured by a wrapper process per run), ours/raw ratios against the faster raw query of the
same run, and the load average before and after. Goals (issue 22): ours ≤ 0.6 × raw and ours
≤ 512 MiB. Also checks that ours and raw agree on the total deduplicated amount.

``--startup`` measures start-up instead (issue 22, goal ≤ 0.3 s): the median wall time of
``duixian subsidy compute --help`` and of a run over a two-record file with ``--orgs`` (the
console script, which runs these without Django), beside, interleaved in the same run, the
same two through the Django management command as the console script ran them before, and
``duixian check`` (a full Django boot), and the floor: a Python process that only imports
DuckDB and pyarrow and runs ``SELECT 1``. Also each one's CPU seconds (user + system), which a
busy machine disturbs less than wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
# The measured processes run as an installed command does: with compiled bytecode (pip writes
# it at install), kept under bench/out/ so that the checkout is not touched. Without it, a
# shell with PYTHONDONTWRITEBYTECODE=1 compiles every project module from source at each
# start (≈ 0.05 s here). The first (warm-up) run writes it.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "PYTHONPYCACHEPREFIX": str(OUT / "pycache")}

# Runs a command and reports its wall time and the peak RSS of it and its children.
WRAPPER = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
seconds = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak = usage.ru_maxrss  # KiB on Linux
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_kib": peak, "rc": p.returncode,
                  "stdout": p.stdout.decode()[-2000:], "stderr": p.stderr.decode()[-2000:]}))
"""

RAW_QUERY = r"""
import duckdb, json, sys
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute(f"SET temp_directory = '{sys.argv[4]}'")  # DuckDB's default: .tmp in the checkout
if sys.argv[3]:
    con.execute(f"SET memory_limit = '{sys.argv[3]}'")
dedupe = {"star": "DISTINCT *", "on": "DISTINCT ON (record_id) *"}[sys.argv[2]]
rows = con.execute(
    f"SELECT user_uscc, provider_uscc, sum(amount) AS amount "
    f"FROM (SELECT {dedupe} FROM read_parquet(?)) GROUP BY ALL",
    [sys.argv[1]]).fetchall()
print(json.dumps({"groups": len(rows), "total": str(sum(r[2] for r in rows))}))
"""


def codes(prefix: str, count: int) -> list[str]:
    """Valid USCCs (GB 32100 check character) registered in 合肥."""
    from stdnum.cn import uscc

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    out = []
    for i in range(count):
        body, n = "", i
        for _ in range(5):
            body = alphabet[n % len(alphabet)] + body
            n //= len(alphabet)
        base = f"91340100{prefix}{body}"
        out.append(base + uscc.calc_check_digit(base))
    return out


def generate(rows: int, metering: Path, orgs: Path) -> None:
    import duckdb

    users = codes("MA2U", 2000)
    providers = codes("MA2P", 200) + users[:100]  # some users also provide compute
    kinds = ["enterprise"] * 6 + ["university", "research_institute", "park_operator", "team"]
    with open(orgs, "w", encoding="utf-8") as f:
        f.write("uscc,name,kind,independent_legal_person,agi_enterprise,group_id\n")
        for i, code in enumerate(dict.fromkeys(users + providers)):
            group = f"g{i // 4}" if i % 10 == 0 else ""  # a few affiliated groups
            f.write(f"{code},单位{i},{kinds[i % len(kinds)]},true,{'true' if i % 7 else 'false'},{group}\n")

    con = duckdb.connect()
    # Streams from range() to the file: memory stays bounded whatever the number of rows.
    con.execute("SET threads = 2")
    con.execute("SET memory_limit = '1GB'")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    users_sql = "[" + ",".join(f"'{c}'" for c in users) + "]"
    providers_sql = "[" + ",".join(f"'{c}'" for c in providers) + "]"
    # Every 1000th record repeats the previous one exactly (the platform re-sent it).
    con.execute(f"""
    COPY (
      SELECT 'R' || lpad(CAST(i AS VARCHAR), 10, '0') AS record_id,
        {users_sql}[1 + CAST(hash(i) % {len(users)} AS BIGINT)] AS user_uscc,
        {providers_sql}[1 + CAST(hash(i + 7) % {len(providers)} AS BIGINT)] AS provider_uscc,
        CAST((hash(i + 3) % 100000) / 1000 AS DECIMAL(18, 6)) AS amount,
        'card_hour' AS unit,
        CASE WHEN hash(i + 5) % 10 = 0 THEN 'business' ELSE 'research' END AS purpose,
        hash(i + 11) % 20 <> 0 AS via_platform,
        hash(i + 13) % 10 <> 0 AS in_province,
        TIMESTAMPTZ '2025-06-01 00:00:00+08' + to_seconds(CAST(hash(i + 17) % 31536000 AS BIGINT))
          AS started_at,
        TIMESTAMPTZ '2025-06-01 01:00:00+08' + to_seconds(CAST(hash(i + 17) % 31536000 AS BIGINT))
          AS ended_at
      FROM (SELECT CASE WHEN i % 1000 = 999 THEN i - 1 ELSE i END AS i FROM range({rows}) r(i))
    ) TO '{metering}' (FORMAT parquet, ROW_GROUP_SIZE 122880)
    """)


def measure(argv: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", WRAPPER, *argv], capture_output=True, text=True,
                          check=True, cwd=ROOT, env=ENV)
    result = json.loads(done.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"{argv[:4]} failed ({result['rc']}):\n{result['stderr']}")
    return result


# The management command as the console script ran it before the light entry (boots Django).
DJANGO_COMMAND = r"""
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duixian.settings")
from django.core.management import execute_from_command_line
execute_from_command_line(["duixian", *sys.argv[1:]])
"""

# What any DuckDB-based process pays before it computes anything: the floor of the tiny run.
FLOOR = "import duckdb, pyarrow.parquet; duckdb.connect().execute('SELECT 1').fetchall()"

TINY_METERING = (
    "record_id,user_uscc,provider_uscc,amount,unit,purpose,via_platform,in_province,started_at,ended_at\n"
    "1,91340100MA2RXH7Q95,91340104MA2TE0T01W,10,card_hour,research,true,true,"
    "2025-09-01T10:00:00+08:00,2025-09-01T11:00:00+08:00\n"
    "2,91340104MA2TE0T01W,91340100MA2RXH7Q95,2.5,card_hour,research,true,true,"
    "2025-09-01T10:00:00+08:00,2025-09-01T11:00:00+08:00\n"
)
TINY_ORGS = (
    "uscc,name,kind,independent_legal_person,agi_enterprise,group_id\n"
    "91340100MA2RXH7Q95,甲,enterprise,true,true,\n"
    "91340104MA2TE0T01W,乙,enterprise,true,true,\n"
)


def startup(repeat: int) -> None:
    """Median start-up of the command (console script) beside the Django path, interleaved."""
    import resource
    import statistics

    OUT.mkdir(parents=True, exist_ok=True)
    metering, orgs = OUT / "startup-metering.csv", OUT / "startup-orgs.csv"
    metering.write_text(TINY_METERING, encoding="utf-8")
    orgs.write_text(TINY_ORGS, encoding="utf-8")
    script = Path(sys.executable).parent / "duixian"
    console = [str(script)] if script.exists() else [sys.executable, "-m", "duixian.cli"]
    django = [sys.executable, "-c", DJANGO_COMMAND]
    tiny = ["subsidy", "compute", "--metering", str(metering), "--orgs", str(orgs)]
    help_ = ["subsidy", "compute", "--help"]
    cases = {
        "duixian subsidy compute --help": console + help_,
        "duixian subsidy compute (2 records, --orgs)": console + tiny,
        "old path (Django command) --help": django + help_,
        "old path (Django command) 2 records": django + tiny,
        "duixian check (full Django boot)": console + ["check"],
        "floor: import duckdb+pyarrow, SELECT 1": [sys.executable, "-c", FLOOR],
    }
    expected = {}
    times: dict[str, list[float]] = {name: [] for name in cases}
    cpus: dict[str, list[float]] = {name: [] for name in cases}
    for argv in cases.values():  # warm-up: writes the bytecode (see ENV)
        subprocess.run(argv, capture_output=True, cwd=ROOT, env=ENV)
    load_before = os.getloadavg()
    for _ in range(repeat):
        for name, argv in cases.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            done = subprocess.run(argv, capture_output=True, cwd=ROOT, env=ENV)
            times[name].append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            if done.returncode != 0:
                raise SystemExit(f"{name} failed ({done.returncode}):\n{done.stderr.decode()}")
            expected.setdefault(name, done.stdout)
    load_after = os.getloadavg()
    print(f"start-up, {repeat} interleaved runs of each, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.1f}' for x in load_before)} → {' '.join(f'{x:.1f}' for x in load_after)}")
    for name, runs in times.items():
        goal = "  (goal ≤ 0.30 s)" if name.startswith("duixian subsidy") else ""
        print(f"  {name:<45} median {statistics.median(runs):.3f} s   min {min(runs):.3f} s   "
              f"CPU median {statistics.median(cpus[name]):.3f} s{goal}")
    same = (expected["duixian subsidy compute (2 records, --orgs)"]
            == expected["old path (Django command) 2 records"]
            and expected["duixian subsidy compute --help"] == expected["old path (Django command) --help"])
    print(f"  output of the console script and the old path: {'identical' if same else 'DIFFERENT'}")
    if not same:
        raise SystemExit(1)


def row_count(text: str) -> int:
    """10000000, 10_000_000, 10M or 1e7."""
    text = text.strip().replace("_", "")
    scale = {"k": 10**3, "m": 10**6, "g": 10**9}.get(text[-1:].lower(), 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def main() -> None:
    if "--startup" in sys.argv[1:]:
        p = argparse.ArgumentParser(description="start-up of duixian subsidy compute")
        p.add_argument("--startup", action="store_true")
        p.add_argument("--repeat", type=int, default=11)
        startup(p.parse_args().repeat)
        return
    import statistics

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=row_count, default=10_000_000, help="e.g. 1M, 10M, 100M")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each, interleaved; medians")
    parser.add_argument("--memory-limit", default="256MB", help="DuckDB memory_limit for ours")
    parser.add_argument("--raw-memory-limit", default="",
                        help="DuckDB memory_limit for the raw queries (default: DuckDB's, 80%% of RAM)")
    parser.add_argument("--no-raw", action="store_true", help="ours only (e.g. 100M on a small machine)")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--cleanup", action="store_true", help="delete the generated files afterwards")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    metering = OUT / f"metering-{args.rows}.parquet"
    orgs = OUT / "orgs.csv"
    try:
        if args.regenerate or not metering.exists() or not orgs.exists():
            t = time.perf_counter()
            generate(args.rows, metering, orgs)
            print(f"generated {args.rows:,} records ({metering.stat().st_size / 2**20:.0f} MiB) "
                  f"in {time.perf_counter() - t:.1f} s → {metering.relative_to(ROOT)}", flush=True)
        run_bench(args, metering, orgs, statistics)
    finally:
        if args.cleanup:
            for path in (metering, OUT / "result.json"):
                path.unlink(missing_ok=True)
            shutil.rmtree(OUT / "raw-spill", ignore_errors=True)


def run_bench(args, metering: Path, orgs: Path, statistics) -> None:
    result_file = OUT / "result.json"
    cases = {
        "ours": [sys.executable, "-m", "duixian.cli", "subsidy", "compute",
                 "--metering", str(metering), "--orgs", str(orgs), "--format", "json",
                 "--out", str(result_file), "--memory-limit", args.memory_limit],
    }
    if not args.no_raw:
        spill = str(OUT / "raw-spill")
        cases["raw DISTINCT *"] = [sys.executable, "-c", RAW_QUERY, str(metering), "star",
                                   args.raw_memory_limit, spill]
        cases["raw DISTINCT ON"] = [sys.executable, "-c", RAW_QUERY, str(metering), "on",
                                    args.raw_memory_limit, spill]
    runs: dict[str, list[dict]] = {name: [] for name in cases}
    subprocess.run([*cases["ours"][:3], "subsidy", "compute", "--help"], capture_output=True,
                   cwd=ROOT, env=ENV)  # warm-up: writes the bytecode (see ENV)
    load_before = os.getloadavg()
    for _ in range(args.repeat):
        for name, argv in cases.items():
            runs[name].append(measure(argv))
    load_after = os.getloadavg()

    def med(name, key):
        return statistics.median(r[key] for r in runs[name])

    def peak(name):
        return max(r["peak_kib"] for r in runs[name]) / 1024

    def walls(name):
        return ", ".join(f"{r['seconds']:.2f}" for r in runs[name])

    print(f"records: {args.rows:,}   {os.cpu_count()} CPUs   {args.repeat} interleaved runs of each   "
          f"load average {' '.join(f'{x:.1f}' for x in load_before)} → "
          f"{' '.join(f'{x:.1f}' for x in load_after)}")
    limits = {"ours": f"memory_limit {args.memory_limit}, validates every row",
              "raw DISTINCT *": f"memory_limit {args.raw_memory_limit or 'default'}",
              "raw DISTINCT ON": f"memory_limit {args.raw_memory_limit or 'default'}"}
    for name in cases:
        print(f"  {name:<16} wall median {med(name, 'seconds'):7.2f} s   CPU median "
              f"{med(name, 'cpu'):7.2f} s   peak {peak(name):6.0f} MiB   "
              f"[wall: {walls(name)}]   ({limits[name]})")
    ours_peak = peak("ours")
    if not args.no_raw:
        raw = min(("raw DISTINCT *", "raw DISTINCT ON"), key=lambda n: med(n, "seconds"))
        print(f"  ratio ours/{raw} (the faster raw): wall {med('ours', 'seconds') / med(raw, 'seconds'):.2f}, "
              f"CPU {med('ours', 'cpu') / med(raw, 'cpu'):.2f}   (goal ≤ 0.6)")
    print(f"  ours peak ≤ 512 MiB: {'yes' if ours_peak <= 512 else 'NO'} ({ours_peak:.0f} MiB)   "
          f"per million rows: wall {med('ours', 'seconds') / args.rows * 1e6:.3f} s, "
          f"CPU {med('ours', 'cpu') / args.rows * 1e6:.3f} s")

    results = json.loads(result_file.read_text(encoding="utf-8"))
    ours_total = sum(Decimal(r["used"]) + sum(Decimal(v) for v in r["excluded"].values())
                     for r in results)
    totals = {name: Decimal(json.loads(runs[name][0]["stdout"])["total"])
              for name in cases if name != "ours"}
    agree = all(t == ours_total for t in totals.values())
    print(f"  organisations: {len(results):,}   total deduplicated amount: ours {ours_total}"
          + "".join(f" / {n} {t}" for n, t in totals.items())
          + (f" → {'agree' if agree else 'DISAGREE'}" if totals else ""))
    if not agree:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
