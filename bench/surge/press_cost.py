"""CPU per request, in-process, with no HTTP server and no load generator in the way:

    .venv/bin/python bench/surge/press_cost.py [--rounds 5] [--per-round 100] [--skip-setup]

(re)creates the PostgreSQL database duixian_press_cost on 127.0.0.1, seeds one confirmed
applicant with drafts (bench/surge/seed.py), then calls Django's WSGI handler directly and prints,
side by side, the CPU time and queries of: /healthz without a session (the floor), a signed-in
page that does nothing (the fixed cost of the session, the user and the middleware), a queued
submit press (SUBMISSIONS_QUEUED=1, as in production), the 正在核验 page it leads to and that
page's poll, and two pages of the last hour's mix: the task list and 确认信息. The lowest round is printed:
this VM's figures move by about 30 % from round to round. Never part of `make test`.
"""

import argparse
import io
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DB = "duixian_press_cost"
WORK = Path("/tmp/duixian-press-cost")
ENV = dict(
    DJANGO_SETTINGS_MODULE="bench.surge.settings", PYTHONPATH=str(ROOT),
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}", DB_CONN_MAX_AGE="600", DUIXIAN_DEMO="1",
    SECRET_KEY="press-cost-" + "k9Xq2vLm" * 8, SECURE_COOKIES="0", ALLOWED_HOSTS="127.0.0.1",
    DUIXIAN_VAR_DIR=str(WORK / "var"), LOG_LEVEL="ERROR", SUBMISSIONS_QUEUED="1", RATELIMIT_ENABLED="0",
)


def setup(drafts: int) -> None:
    env = {**os.environ, **ENV}
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)",
                    "-c", f"CREATE DATABASE {DB}"], env=env, check=True, capture_output=True)
    subprocess.run([str(BIN / "python"), "-m", "django", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([str(BIN / "python"), "bench/surge/seed.py", "1", "1", str(WORK / "sessions.json"), "1", str(drafts)],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def measure(rounds: int, per_round: int) -> None:
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    me = json.loads((WORK / "sessions.json").read_text())[0]
    drafts = list(me["flat"])
    handler = WSGIHandler()
    csrf = secrets.token_hex(16)

    def call(method: str, path: str, body: bytes = b"", cookie: bool = True, hx: bool = False) -> tuple[str, dict]:
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr, "CONTENT_LENGTH": str(len(body)), "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/x-www-form-urlencoded", "HTTP_REFERER": "http://127.0.0.1/",
        }
        if hx:
            environ["HTTP_HX_REQUEST"] = "true"
        if cookie:
            environ.update(HTTP_COOKIE=f"sessionid={me['session']}; csrftoken={csrf}", HTTP_X_CSRFTOKEN=csrf)
        answer = []
        b"".join(handler(environ, lambda status, headers, *rest: answer.append((status, dict(headers)))))
        return answer[0]

    def healthz():
        assert call("GET", "/healthz", cookie=False)[0].startswith("200")

    def signed_in():
        assert call("GET", "/bench/signed-in")[0].startswith("200")

    def task_list():
        assert call("GET", f"/applications/{drafts[0]}/tasks/")[0].startswith("200")

    def check_page():
        assert call("GET", f"/applications/{drafts[0]}/check/")[0].startswith("200")

    pressed = []

    def press():
        pk = drafts.pop()
        body = urlencode({"declaration": "on", "token": secrets.token_urlsafe(24), "expected_state": "draft"}).encode()
        status, headers = call("POST", f"/applications/{pk}/check/", body)
        assert status.startswith("302") and headers["Location"].endswith(f"/{pk}/confirmation/"), status
        pressed.append(pk)

    def waiting_page():  # where the press leads: 正在核验 (no worker runs here)
        assert call("GET", f"/applications/{pressed[-1]}/confirmation/")[0].startswith("200")

    def waiting_poll():  # what that page asks every few seconds until the check is done
        status, headers = call("GET", f"/applications/{pressed[-1]}/confirmation/poll/", hx=True)
        assert status.startswith("200") and "HX-Refresh" not in headers, status

    print(f"== in-process CPU per request, PostgreSQL, lowest of {rounds} rounds of {per_round}")
    for name, request in (("healthz, no session", healthz), ("signed in, no work", signed_in),
                          ("queued submit press", press), ("正在核验 page", waiting_page),
                          ("its poll", waiting_poll), ("task list", task_list), ("确认信息 page", check_page)):
        for _ in range(20):
            request()
        best = min(_round(request, per_round) for _ in range(rounds))
        with CaptureQueriesContext(connection) as queries:
            request()
        print(f"   {name:<22} {best * 1000:6.2f} ms   {len(queries.captured_queries)} queries")


def _round(request, n: int) -> float:
    start = time.process_time()
    for _ in range(n):
        request()
    return (time.process_time() - start) / n


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=100)
    parser.add_argument("--skip-setup", action="store_true", help="reuse the database of the last run")
    args = parser.parse_args()
    if not args.skip_setup:
        setup(drafts=(args.rounds * args.per_round) + 50)
    measure(args.rounds, args.per_round)


if __name__ == "__main__":
    main()
