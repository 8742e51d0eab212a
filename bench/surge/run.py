"""The last-hour surge, end to end on this machine (loopback only, bounded in time).

    .venv/bin/python bench/surge/run.py [--users 200] [--drafts 3] [--mix-seconds 60] [--flat-seconds 15] [--flat-users 64]
                                        [--last-minute 600] [--last-minute-seconds 90]

1. (re)creates the PostgreSQL database duixian_surge on 127.0.0.1 and migrates it;
2. seeds N confirmed applicant organisations, a session each and D complete drafts each for the
   mix, and for the flat-out users enough more drafts that they never run out (--flat-rate a
   second for --flat-seconds), with the demo clock at 2026-05-05 23:00 (the last hour before the
   23:59 close); with --reuse-seed the database and files of the last seeding with the same sizes
   and migrations are copied instead (seconds instead of minutes: for runs side by side);
3. starts gunicorn (deploy/gunicorn.conf.py, gthread) on 127.0.0.1 with SUBMISSIONS_QUEUED=1 (as
   in production: a submit press is written at once and checked by `duixian worker`), and
   --task-workers workers at the web's CPU priority (--worker-nice 0 in its session; deploy/systemd: CPUWeight=50);
4. runs locust headless: the mixed last hour with N applicants (drafts, uploads, submits, and
   /healthz in the same run), then flat out: submit only; then the last minute (--last-minute
   applicants pressing within 5 s, each then as a browser: 正在核验, its poll until checked, the
   outcome); then the bare one-INSERT view and /healthz flat out;
5. waits until the workers have checked every receipt, counts in the database that every
   accepted press became a submission, and prints the figures, with how long a press waited
   for its check (receipt to decision).
Needs the [bench] extra (locust). Never part of `make test`.
"""

import argparse
import csv
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DB = "duixian_surge"


def sh(args, env, **kw):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kw)


def wait_http(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer {url}")


def locust(env, work, label, mode, users, seconds, spawn_rate):
    env = dict(env, SURGE_MODE=mode, SURGE_ACCEPTED=str(work / f"{label}-accepted.json"))
    subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "bench/surge/locustfile.py"), "--headless",
                    "-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds}s", "--stop-timeout", "10",
                    "--host", env["SURGE_HOST"], "--csv", str(work / label), "--only-summary", "--loglevel", "ERROR"],
                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(work / f"{label}.log", "w"), check=False)
    rows = {}
    with open(work / f"{label}_stats.csv") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = row
    accepted = json.loads((work / f"{label}-accepted.json").read_text()) if (work / f"{label}-accepted.json").exists() else []
    return rows, accepted


def psql(sql):
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-tA", "-F", " ", "-c", sql],
                          capture_output=True, text=True, check=True).stdout.strip()


def percentiles(values_sql: str) -> tuple[float, float, float]:
    """p50, p99 and max of the one column `values_sql` selects."""
    row = psql("SELECT coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY d), 0), "
               "coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY d), 0), coalesce(max(d), 0) "
               f"FROM ({values_sql}) t(d)")
    return tuple(float(x) for x in row.split())


def drain(env, seconds):
    """Wait until no receipt is pending; then the outcome counts and the press-to-decision times."""
    t0 = time.monotonic()
    while int(psql("SELECT count(*) FROM applications_submissionreceipt WHERE outcome = 'pending'")) and \
            time.monotonic() - t0 < seconds:
        time.sleep(1)
    waited = time.monotonic() - t0
    counts = dict(line.split() for line in psql(
        "SELECT outcome, count(*) FROM applications_submissionreceipt GROUP BY outcome").splitlines() if line)
    p50, p99, most = percentiles("SELECT extract(epoch FROM processed_at - received_at) FROM "
                                 "applications_submissionreceipt WHERE processed_at IS NOT NULL")
    return {"accepted": int(counts.get("accepted", 0)), "refused": int(counts.get("refused", 0)),
            "pending": int(counts.get("pending", 0)), "p50": p50, "p99": p99, "max": most, "waited": waited}


SEED_DB, SEED_FILES = f"{DB}_seed", Path("/tmp/duixian-surge-seed")


def _seed_key(seeding: list[str]) -> str:
    """What the seeded state depends on: the seed's sizes, seed.py and the migrations of this tree."""
    migrations = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("duixian/*/migrations/0*.py"))
    digest = hashlib.sha256("\n".join([*seeding, *migrations]).encode() + (ROOT / "bench/surge/seed.py").read_bytes())
    return digest.hexdigest()


def seed_keep(env, work: Path, seeding: list[str]) -> None:
    """--reuse-seed: keep the freshly seeded database (as a template) and its files for the next run."""
    sh(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {SEED_DB} WITH (FORCE)",
        "-c", f"CREATE DATABASE {SEED_DB} TEMPLATE {DB}"], env)
    subprocess.run(["rm", "-rf", str(SEED_FILES)], check=True)
    shutil.copytree(work, SEED_FILES)
    (SEED_FILES / "seed-key").write_text(_seed_key(seeding))


def seed_restore(env, work: Path, seeding: list[str]) -> bool:
    """--reuse-seed: the database and files of the last seeding with the same key, copied; False if none."""
    key_file = SEED_FILES / "seed-key"
    if not key_file.exists() or key_file.read_text() != _seed_key(seeding):
        return False
    t0 = time.monotonic()
    sh(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)",
        "-c", f"CREATE DATABASE {DB} TEMPLATE {SEED_DB}"], env)
    subprocess.run(["rm", "-rf", str(work)], check=True)
    shutil.copytree(SEED_FILES, work)
    # The demo clock runs on from when it was set: set at the seeding, it would by now be past the
    # close. Set again (real now), it is 23:00 on the closing day, as seed.py leaves it.
    sh(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-q", "-c", "UPDATE core_democlock SET set_at = now()"], env)
    print(f"== database {DB}: copied from the last seeding with the same sizes and migrations "
          f"({SEED_DB}, --reuse-seed) in {time.monotonic() - t0:.0f} s")
    return True


def cpu_seconds() -> dict[str, float]:
    """CPU seconds used so far by each kind of process on this machine (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[str, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        kind = ("gunicorn" if "gunicorn" in cmdline else "workers" if "duixian worker" in cmdline
                else "locust" if "locust" in cmdline else "postgres" if cmdline.startswith("postgres") else "other")
        used[kind] = used.get(kind, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return used


def cpu_seconds_with_locust() -> dict[str, float]:
    """cpu_seconds, plus locust's: it has exited by the time we look, so it is counted from the
    CPU time of this script's waited-for children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {**cpu_seconds(), "locust": children.ru_utime + children.ru_stime}


def cpu_split(before: dict, after: dict) -> str:
    spent = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in after}
    return ", ".join(f"{k} {v:.0f} s" for k, v in sorted(spent.items(), key=lambda kv: -kv[1]) if v >= 0.5)


def fmt(row):
    return (f"{int(row['Request Count']):>7} req {int(row['Failure Count']):>4} err "
            f"{float(row['Requests/s']):>7.1f}/s  p50 {row['50%']:>5} p95 {row['95%']:>5} p99 {row['99%']:>5} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--drafts", type=int, default=3, help="complete drafts per applicant for the mix")
    parser.add_argument("--flat-rate", type=int, default=800, help="submissions/s the flat-out drafts must last for")
    parser.add_argument("--mix-seconds", type=int, default=60)
    parser.add_argument("--flat-seconds", type=int, default=15)
    parser.add_argument("--flat-users", type=int, default=64)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", default=os.environ.get("WEB_CONCURRENCY", "4"))
    parser.add_argument("--threads", default=os.environ.get("GUNICORN_THREADS", "8"))
    parser.add_argument("--work", default="/tmp/duixian-surge")
    parser.add_argument("--task-workers", type=int, default=2, help="`duixian worker` processes checking receipts")
    parser.add_argument("--worker-nice", type=int, default=0, help="the workers' CPU priority (nice) against the web's")
    parser.add_argument("--submissions", choices=("queued", "inline"), default="queued",
                        help="queued: checked by the workers, as in production; inline: checked in the request")
    parser.add_argument("--last-minute", type=int, default=600,
                        help="applicants pressing within 5 s, each then polling 正在核验 as a browser does (0: skip)")
    parser.add_argument("--last-minute-seconds", type=int, default=90)
    parser.add_argument("--profile", action="store_true", help="py-spy record the web server while it takes submissions flat out")
    parser.add_argument("--reuse-seed", action="store_true",
                        help="copy the database and files of the last seeding with the same sizes (seeding takes minutes)")
    parser.add_argument("--phases", default="mix,flat,last",
                        help="which phases to run, of mix,flat,last (the baselines run with flat)")
    args = parser.parse_args()
    phases = set(args.phases.split(","))
    if "last" not in phases:
        args.last_minute = 0

    work = Path(args.work)
    subprocess.run(["rm", "-rf", str(work)], check=True)
    work.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.surge.settings", PYTHONPATH=str(ROOT),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}", DB_CONN_MAX_AGE="600",
        DUIXIAN_DEMO="1", SECRET_KEY="surge-" + "k9Xq2vLm" * 8, SECURE_COOKIES="0", ALLOWED_HOSTS="127.0.0.1",
        DUIXIAN_VAR_DIR=str(work / "var"), LOG_LEVEL="ERROR", WEB_CONCURRENCY=str(args.workers),
        GUNICORN_THREADS=str(args.threads), GUNICORN_BIND=f"127.0.0.1:{args.port}", GUNICORN_ACCESSLOG="",
        SURGE_SESSIONS=str(work / "sessions.json"), SURGE_HOST=f"http://127.0.0.1:{args.port}",
        PYTHONIOENCODING="utf-8", SUBMISSIONS_QUEUED="1" if args.submissions == "queued" else "0",
    )
    flat_drafts = -(-args.flat_rate * args.flat_seconds // args.flat_users)
    seeding = [str(args.users), str(args.drafts), str(args.flat_users), str(flat_drafts)]
    if not (args.reuse_seed and seed_restore(env, work, seeding)):
        print(f"== database {DB}: create, migrate, seed {args.users} applicants x {args.drafts} drafts "
              f"(+{flat_drafts} each for {args.flat_users} flat-out users)")
        sh(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)",
            "-c", f"CREATE DATABASE {DB}"], env)
        sh([str(BIN / "python"), "-m", "django", "migrate", "-v", "0"], env)
        t0 = time.monotonic()
        sh([str(BIN / "python"), "bench/surge/seed.py", str(args.users), str(args.drafts), str(work / "sessions.json"),
            str(args.flat_users), str(flat_drafts)], env)
        print(f"   seeded in {time.monotonic() - t0:.0f} s")
        if args.reuse_seed:
            seed_keep(env, work, seeding)

    # Own process groups (to stop them), but this script's session: with the kernel's autogroup
    # scheduling (on here) every session is its own CPU group, and `nice` would rank the workers
    # only inside their own group, that is, not at all against gunicorn. systemd's equivalent
    # is the worker unit's CPUWeight= (deploy/systemd).
    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"), "duixian.wsgi:application"],
                              cwd=ROOT, env=env, stdout=open(work / "gunicorn.log", "w"), stderr=subprocess.STDOUT,
                              process_group=0)
    workers = [subprocess.Popen(["nice", "-n", str(args.worker_nice), str(BIN / "duixian"), "worker", "--interval", "0.2"],
                                cwd=ROOT,
                                env=env, stdout=open(work / f"worker-{i}.log", "w"), stderr=subprocess.STDOUT,
                                process_group=0) for i in range(args.task_workers)]
    profiler = None
    try:
        wait_http(f"{env['SURGE_HOST']}/healthz")
        print(f"== gunicorn gthread {args.workers} x {args.threads} on {env['SURGE_HOST']}; cores: {os.cpu_count()}; "
              f"submissions checked {'by ' + str(args.task_workers) + ' workers' if args.submissions == 'queued' else 'in the request'}")
        mix, accepted = {}, []
        if "mix" in phases:
            before = cpu_seconds_with_locust()
            mix, accepted = locust(env, work, "mix", "mix", args.users, args.mix_seconds, max(args.users // 10, 1))
            print(f"\n== the last hour: {args.users} applicants, think time 0.5-2 s, {args.mix_seconds} s at most")
            print(f"   CPU during the phase ({os.cpu_count()} cores x {args.mix_seconds} s at most): "
                  f"{cpu_split(before, cpu_seconds_with_locust())}")
            for name in ("task list", "save draft", "upload", "check page", "submit", "healthz", "Aggregated"):
                if name in mix:
                    print(f"   {name:<12} {fmt(mix[name])}")
        if args.profile:
            profiler = subprocess.Popen([str(BIN / "py-spy"), "record", "--subprocesses", "-f", "raw", "-o",
                                         str(work / "profile.txt"), "--pid", str(server.pid)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        flat_rows, flat_accepted, flat_cpu = {}, [], ""
        if "flat" in phases:
            before = cpu_seconds_with_locust()
            flat_rows, flat_accepted = locust(env, work, "flat-submit", "submit", args.flat_users, args.flat_seconds,
                                              args.flat_users)
            flat_cpu = cpu_split(before, cpu_seconds_with_locust())
        if profiler:
            profiler.send_signal(signal.SIGINT)
            profiler.wait(timeout=60)
        drained = drain(env, seconds=600)  # before the baselines, so the workers' backlog does not weigh on them
        last_rows, last_accepted, decided, legs = {}, [], [], []
        if args.last_minute:
            before = cpu_seconds_with_locust()
            last_rows, last_accepted = locust(env, work, "last-minute", "lastminute", args.last_minute,
                                              args.last_minute_seconds, max(args.last_minute // 5, 1))
            last_cpu = cpu_split(before, cpu_seconds_with_locust())
            decided = sorted(json.loads((work / "last-minute-decided.json").read_text()))
            legs = json.loads((work / "last-minute-legs.json").read_text())
            drained = drain(env, seconds=600)
        insert_rows, health_rows = {}, {}
        if "flat" in phases:
            insert_rows, _ = locust(env, work, "flat-insert", "insert", args.flat_users, args.flat_seconds, args.flat_users)
            health_rows, _ = locust(env, work, "flat-healthz", "healthz", args.flat_users, args.flat_seconds,
                                    args.flat_users)
            print(f"\n== flat out, {args.flat_users} users, no think time, {args.flat_seconds} s each")
            print(f"   CPU while submitting flat out ({os.cpu_count()} cores x {args.flat_seconds} s): {flat_cpu}")
            for label, rows, name in (("submit", flat_rows, "submit"), ("check page", flat_rows, "check page"),
                                      ("bare INSERT", insert_rows, "bare insert"), ("healthz", health_rows, "healthz")):
                if name in rows:
                    print(f"   {label:<12} {fmt(rows[name])}")
        if args.last_minute:
            print(f"\n== the last minute: {args.last_minute} applicants press within 5 s, each then as a browser: "
                  f"正在核验, its poll until checked, the outcome")
            print(f"   CPU during the phase ({os.cpu_count()} cores x {args.last_minute_seconds} s at most): {last_cpu}")
            for name in ("submit", "正在核验 page", "poll", "confirmation"):
                if name in last_rows:
                    print(f"   {name:<12} {fmt(last_rows[name])}")
            if decided:
                print(f"   outcome on screen for {len(decided)} of {len(last_accepted)} accepted presses; press to outcome "
                      f"p50 {decided[len(decided) // 2]:.1f} s, p99 {decided[int(len(decided) * 0.99)]:.1f} s, "
                      f"max {decided[-1]:.1f} s")
            if legs:
                answered, shown, polls = (sorted(leg[i] for leg in legs) for i in range(3))
                print(f"   of which: press to its answer p50 {answered[len(legs) // 2]:.1f} s, p99 "
                      f"{answered[int(len(legs) * 0.99)]:.1f} s; to 正在核验 shown p50 {shown[len(legs) // 2]:.1f} s, "
                      f"p99 {shown[int(len(legs) * 0.99)]:.1f} s; polls per press p50 {polls[len(legs) // 2]}, "
                      f"max {polls[-1]}")
                first = sorted(leg[3][0] for leg in legs if leg[3])
                if first:
                    print(f"   first poll asked for after p50 {first[len(first) // 2]} s, max {first[-1]} s")
            if last_accepted:  # the workers' share of that wait: the press's receipt to its check
                checked = percentiles(f"SELECT extract(epoch FROM processed_at - received_at) FROM "
                                      f"applications_submissionreceipt WHERE processed_at IS NOT NULL AND "
                                      f"application_id IN ({','.join(map(str, last_accepted))})")
                print(f"   press to decision (checked by a worker) p50 {checked[0]:.1f} s, p99 {checked[1]:.1f} s, "
                      f"max {checked[2]:.1f} s")
    finally:
        for process in [server, *workers]:
            os.killpg(process.pid, signal.SIGTERM)
        for process in [server, *workers]:
            process.wait(timeout=60)

    reused = set(last_accepted) & set(flat_accepted)
    if reused:  # a press on a submitted application shows its outcome and makes no receipt: not a loss
        print(f"\n!! the flat-out phase used up the drafts: {len(reused)} last-minute presses were on applications it "
              f"had already submitted, so they measure nothing; raise --flat-rate (now {args.flat_rate}/s)")
    every = accepted + flat_accepted + [pk for pk in last_accepted if pk not in reused]
    count_sql = (f"SELECT count(*) FROM applications_application a WHERE a.state = 'submitted' "
                 f"AND a.reference IS NOT NULL AND a.id IN ({','.join(map(str, every)) or 'NULL'}) "
                 f"AND EXISTS (SELECT 1 FROM applications_submission s WHERE s.application_id = a.id)")
    found = int(psql(count_sql))
    total = int(psql("SELECT count(*) FROM applications_application WHERE state = 'submitted'"))
    print(f"\n== in the database: {found} of {len(every)} accepted submissions are there "
          f"(lost: {len(every) - found}); submitted applications in all: {total}")
    print(f"   receipts: {drained['accepted']} accepted, {drained['refused']} refused, {drained['pending']} still "
          f"pending; press to decision p50 {drained['p50']:.1f} s, p99 {drained['p99']:.1f} s, "
          f"max {drained['max']:.1f} s; the workers drained the queue {drained['waited']:.0f} s after the load stopped")
    mix_ok = "submit" in mix and "healthz" in mix
    if mix_ok:
        ratio = float(mix["submit"]["99%"]) / max(float(mix["healthz"]["99%"]), 1.0)
        errors = int(mix["Aggregated"]["Failure Count"]) + drained["refused"]
        print(f"   mix: errors {errors}; submit p99 / healthz p99 = {ratio:.1f}x (goal <= 5x)")
    if "submit" in flat_rows and "bare insert" in insert_rows:
        print(f"   flat out: {float(flat_rows['submit']['Requests/s']):.1f} submissions/s (goal >= 200) vs "
              f"bare INSERT {float(insert_rows['bare insert']['Requests/s']):.1f}/s")
    print(f"   details: {work}")
    return 0 if found == len(every) else 1


if __name__ == "__main__":
    sys.exit(main())
