"""Benchmark: `duixian subsidy compute` against a raw deduplicating DuckDB GROUP BY (issue 8).

    .venv/bin/python bench/compute_subsidy.py            # 10 million records
    .venv/bin/python bench/compute_subsidy.py --rows 1000000 --repeat 3
    .venv/bin/python bench/compute_subsidy.py --startup [--repeat 11]   # start-up only

Generates a typed Parquet metering file (decimal, boolean, timestamp with zone; 0.1 % identical
repeats of a record_id) and an organisations CSV under bench/out/ with DuckDB itself, then runs,
each in its own process so that time and peak memory are measured alike:

* ours: the real command, `duixian subsidy compute --metering … --orgs … --out …`, which also
  validates every row, finds repeats, classifies every job into the five buckets and writes JSON;
* raw:  `SELECT user_uscc, provider_uscc, sum(amount) FROM (SELECT DISTINCT ON (record_id) * …)
  GROUP BY ALL` with DuckDB's default settings.

Prints both wall times (process start to exit), their ratio ours/raw and each peak RSS
(ru_maxrss of the child, measured by a wrapper process per run), and their CPU seconds, which
a busy machine disturbs less than wall time. Goal: ratio ≤ 1.0 and ours ≤ 512 MiB. Also checks
that both agree on the total deduplicated amount.

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
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"

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
rows = con.execute(
    "SELECT user_uscc, provider_uscc, sum(amount) AS amount "
    "FROM (SELECT DISTINCT ON (record_id) * FROM read_parquet(?)) GROUP BY ALL",
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
    con.execute("SET threads = 2")
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
                          check=True, cwd=ROOT)
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
    load_before = os.getloadavg()
    for _ in range(repeat):
        for name, argv in cases.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            done = subprocess.run(argv, capture_output=True, cwd=ROOT)
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


def main() -> None:
    if "--startup" in sys.argv[1:]:
        p = argparse.ArgumentParser(description="start-up of duixian subsidy compute")
        p.add_argument("--startup", action="store_true")
        p.add_argument("--repeat", type=int, default=11)
        startup(p.parse_args().repeat)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, interleaved; best is kept")
    parser.add_argument("--memory-limit", default="256MB", help="DuckDB memory_limit for ours")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    metering = OUT / f"metering-{args.rows}.parquet"
    orgs = OUT / "orgs.csv"
    if args.regenerate or not metering.exists() or not orgs.exists():
        t = time.perf_counter()
        generate(args.rows, metering, orgs)
        print(f"generated {args.rows:,} records ({metering.stat().st_size / 2**20:.0f} MiB) "
              f"in {time.perf_counter() - t:.1f} s → {metering.relative_to(ROOT)}")

    result_file = OUT / "result.json"
    ours_argv = [sys.executable, "-m", "duixian.cli", "subsidy", "compute",
                 "--metering", str(metering), "--orgs", str(orgs), "--format", "json",
                 "--out", str(result_file), "--memory-limit", args.memory_limit]
    raw_argv = [sys.executable, "-c", RAW_QUERY, str(metering)]
    env_note = f"{os.cpu_count()} CPUs"
    ours_runs, raw_runs = [], []
    for _ in range(args.repeat):
        ours_runs.append(measure(ours_argv))
        raw_runs.append(measure(raw_argv))
    ours = min(ours_runs, key=lambda r: r["seconds"])
    raw = min(raw_runs, key=lambda r: r["seconds"])

    results = json.loads(result_file.read_text(encoding="utf-8"))
    ours_total = sum(Decimal(r["used"]) + sum(Decimal(v) for v in r["excluded"].values())
                     for r in results)
    raw_total = Decimal(json.loads(raw["stdout"])["total"])

    def mib(r):
        return r["peak_kib"] / 1024

    def times(runs):
        return ", ".join(f"{r['seconds']:.2f}" for r in runs)

    def cpu(runs):
        return min(r["cpu"] for r in runs)

    print(f"records: {args.rows:,}   machine: {env_note}   runs of each: {args.repeat}")
    print(f"ours (duixian subsidy compute, validates every row): {ours['seconds']:.2f} s, "
          f"peak {mib(ours):.0f} MiB   [all: {times(ours_runs)}]")
    print(f"raw  (DuckDB DISTINCT ON + GROUP BY, defaults):      {raw['seconds']:.2f} s, "
          f"peak {mib(raw):.0f} MiB   [all: {times(raw_runs)}]")
    ratio = ours["seconds"] / raw["seconds"]
    print(f"ratio ours/raw: {ratio:.2f} (goal ≤ 1.0)   ours peak ≤ 512 MiB: "
          f"{'yes' if mib(ours) <= 512 else 'NO'}")
    # CPU time (user + system) is less disturbed than wall time on a busy machine.
    print(f"CPU seconds (best run): ours {cpu(ours_runs):.2f}, raw {cpu(raw_runs):.2f}, "
          f"ratio {cpu(ours_runs) / cpu(raw_runs):.2f}   load average: "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"organisations: {len(results):,}   total deduplicated amount: ours {ours_total} / "
          f"raw {raw_total} → {'agree' if ours_total == raw_total else 'DISAGREE'}")
    if ours_total != raw_total:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
