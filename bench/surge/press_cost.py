"""CPU per request, in-process, with no HTTP server and no load generator in the way:

    [PRESS_COST_DB=name] .venv/bin/python bench/surge/press_cost.py [--rounds 5] [--per-round 100] [--skip-setup]

(re)creates the PostgreSQL database duixian_press_cost (or $PRESS_COST_DB) on 127.0.0.1, seeds one confirmed
applicant with drafts (bench/surge/seed.py), then calls the WSGI application directly (duixian/wsgi.py,
as gunicorn loads it: warmed up, its start-up objects frozen) and prints, side by side, the CPU
time and queries of: /healthz without a session (the floor), a signed-in
page that does nothing (the fixed cost of the session, the user and the middleware), a queued
submit press (SUBMISSIONS_QUEUED=1, as in production), the 正在核验 page it leads to and that
page's poll, the applicant's pages of the last hour's mix (the task list, a section form,
材料, 确认信息, the status page, the autosave of a section and a material upload, as
locustfile.py sends them) and the city clerk's (the work list and one submitted application's
review page; the presses are checked first, as a worker would), then the worker's side: checking
one press as `duixian worker` does (each round presses --per-round drafts with the queued submit,
untimed, then times `receipts_check_pending` over them and divides by the presses: CPU and
queries a press, with its share of its transaction's taking, commit and sealing of the audit
rows), and a worker's idle poll (`receipts_check_pending` finding nothing pending). The lowest
round is printed, with its ratio to the signed-in no-op of the same run (issue 22: every page at
most 3x): this VM's figures move by about 30 % from round to round. Never part of `make test`.
"""

import argparse
import io
import itertools
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
# locustfile.py's upload: a small PDF (the same bytes)
UPLOAD_PDF = (b"%PDF-1.4\n1 0 obj<< /Type /Catalog /Pages 2 0 R >>endobj\n"
              b"2 0 obj<< /Type /Pages /Kids [] /Count 0 >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n")
# PRESS_COST_DB: a database (and work folder) of one's own, so that two people measuring on one
# machine do not drop each other's database in the middle of a run.
DB = os.environ.get("PRESS_COST_DB", "duixian_press_cost")
WORK = Path("/tmp") / DB.replace("_", "-")
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


def pages(per_round: int) -> list[tuple[str, object]]:
    """(name, request) for every request measured, in order; each request asserts its answer."""
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from duixian.applications.models import Application

    me = json.loads((WORK / "sessions.json").read_text())[0]
    # never pressed (with --skip-setup, earlier runs pressed and checked some)
    drafts = sorted(Application.objects.filter(pk__in=me["flat"], state="draft", receipts__isnull=True)
                    .values_list("pk", flat=True), reverse=True)
    # The application as gunicorn loads it (duixian/wsgi.py): warmed up, and what it built until
    # then kept out of the collector's full passes, which otherwise walk it every few hundred pages.
    from duixian.wsgi import application as handler
    csrf = secrets.token_hex(16)
    clerk = _clerk_session()

    def call(method: str, path: str, body: bytes = b"", cookie: bool = True, hx: bool = False,
             session: str = me["session"], content_type: str = "application/x-www-form-urlencoded",
             extra: dict | None = None) -> tuple[str, dict, bytes]:
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr, "CONTENT_LENGTH": str(len(body)), "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": content_type, "HTTP_REFERER": "http://127.0.0.1/", **(extra or {}),
        }
        if hx:
            environ["HTTP_HX_REQUEST"] = "true"
        if cookie:
            environ.update(HTTP_COOKIE=f"sessionid={session}; csrftoken={csrf}", HTTP_X_CSRFTOKEN=csrf)
        answer = []
        content = b"".join(handler(environ, lambda status, headers, *rest: answer.append((status, dict(headers)))))
        return answer[0][0], answer[0][1], content

    def ok(path: str, **kwargs) -> None:
        status = call("GET", path, **kwargs)[0]
        assert status.startswith("200"), (path, status)

    pressed = []

    def press():
        pk = drafts.pop()
        body = urlencode({"declaration": "on", "token": secrets.token_urlsafe(24), "expected_state": "draft"}).encode()
        status, headers, _content = call("POST", f"/applications/{pk}/check/", body)
        assert status.startswith("302") and headers["Location"].endswith(f"/{pk}/confirmation/"), status
        pressed.append(pk)

    def waiting_poll():  # what 正在核验 asks every few seconds until the check is done
        status, headers, _content = call("GET", f"/applications/{pressed[-1]}/confirmation/poll/", hx=True)
        assert status.startswith("200") and "HX-Refresh" not in headers, status

    def checked() -> int:  # a press the workers have checked (none run here: check them, once)
        from duixian.applications.receipts import receipts_check_pending

        if not checked.done:
            while receipts_check_pending(limit=500):  # with --skip-setup, earlier runs' presses too
                pass
            checked.done = True
        return pressed[0]

    checked.done = False
    draft = drafts[0]
    section_path = f"/applications/{draft}/section/{_first_section(draft)}/"  # looked up once, not timed
    # The autosave and the upload change a draft of their own (never pressed, never the pages' draft).
    busy = drafts.pop(1)
    saves = itertools.count()

    def autosave():  # autosave.js's request, with locustfile.py's answers; every call changes one
        name = f"压测项目-{busy}" + ("" if next(saves) % 2 else "（修订）")
        body = urlencode({"project_name": name, "project__in_anhui": "true", "project__occurred_on": "2025-12-01",
                          "amount_requested_wan": "24", "contact_name": "张工", "contact_phone": "13155113928"}).encode()
        status, headers, content = call("POST", f"/applications/{busy}/section/project/", body,
                                        extra={"HTTP_X_DUIXIAN_AUTOSAVE": "1"})
        answer = json.loads(content)
        assert status.startswith("200") and answer["saved"] and not answer["errors"], (status, content[:300])
        assert not answer["non_field_errors"] and "verdict_html" in answer, content[:300]

    def upload():  # locustfile.py's PDF into the same slot: the earlier file is replaced, never piled up
        boundary = "----press" + secrets.token_hex(8)  # a fresh body every call, as a browser sends
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"申报书.pdf\"\r\n"
                f"Content-Type: application/pdf\r\n\r\n").encode() + UPLOAD_PDF + f"\r\n--{boundary}--\r\n".encode()
        status, headers, _content = call("POST", f"/applications/{busy}/materials/application_form/upload/", body,
                                         content_type=f"multipart/form-data; boundary={boundary}")
        assert status.startswith("302") and headers["Location"].endswith(
            f"/applications/{busy}/materials/#slot-application_form"), (status, headers)

    def idle_poll():  # what every worker asks every --interval seconds while nobody presses
        from duixian.applications.receipts import receipts_check_pending

        assert receipts_check_pending() == 0

    return [
        ("healthz, no session", lambda: ok("/healthz", cookie=False)),
        ("signed in, no work", lambda: ok("/bench/signed-in")),
        ("queued submit press", press),
        ("正在核验 page", lambda: ok(f"/applications/{pressed[-1]}/confirmation/")),  # where the press leads
        ("its poll", waiting_poll),
        ("task list", lambda: ok(f"/applications/{draft}/tasks/")),
        ("section form", lambda: ok(section_path)),
        ("materials", lambda: ok(f"/applications/{draft}/materials/")),
        ("确认信息 page", lambda: ok(f"/applications/{draft}/check/")),
        ("status, submitted", lambda: ok(f"/applications/{checked()}/status/")),
        ("autosave", autosave),
        ("upload", upload),
        ("clerk work list", lambda: ok("/review/", session=clerk)),
        ("clerk review page", lambda: ok(f"/review/{checked()}/", session=clerk)),
        ("worker check, a press", _WorkerCheck(press, pressed)),
        ("worker idle poll", idle_poll),
    ]


class _WorkerCheck:
    """The worker's check of presses: `prepare(n)` presses n drafts (the queued submit, untimed),
    a call checks them all as `duixian worker` does (CHECK_BATCH a transaction), `verify()` asserts
    each was accepted (untimed); the time of one call divided by `per_call` is the cost of a press."""

    def __init__(self, press, pressed: list):
        self.press, self.pressed, self.per_call = press, pressed, 1

    def prepare(self, n: int) -> None:
        from duixian.applications.receipts import receipts_check_pending

        while receipts_check_pending(limit=500):  # nothing of the pages' presses left in the queue
            pass
        start = len(self.pressed)
        for _ in range(n):
            self.press()
        self.batch, self.per_call = self.pressed[start:], n

    def __call__(self) -> None:
        from duixian.applications.receipts import receipts_check_pending

        assert receipts_check_pending(limit=len(self.batch)) == len(self.batch)

    def verify(self) -> None:
        from duixian.applications.models import ReceiptOutcome, SubmissionReceipt

        outcomes = set(SubmissionReceipt.objects.filter(application_id__in=self.batch).values_list("outcome", flat=True))
        assert outcomes == {ReceiptOutcome.ACCEPTED}, outcomes


def _clerk_session() -> str:
    """A signed-in 归口管理部门 clerk of the seeded applicants' city (made on first use)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    from duixian.accounts.models import User
    from duixian.accounts.otp import demo_totp_device
    from duixian.authz.roles import Role

    user, _made = User.objects.get_or_create(username="press-cost-clerk", defaults={
        "role": Role.CITY_CLERK, "city_code": "340100"})
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = demo_totp_device(user).persistent_id  # past the staff second factor
    store.set_expiry(6 * 3600)
    store.create()
    return store.session_key


def _first_section(pk: int) -> str:
    from duixian.applications import policy_bridge, questions as q
    from duixian.applications.models import Application

    app = Application.objects.get(pk=pk)
    return q.sections_for(app.clause, app.application_type, policy_bridge.application_pack(app))[0].key


def measure(rounds: int, per_round: int) -> None:
    requests = pages(per_round)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(f"== in-process CPU per request, PostgreSQL, lowest of {rounds} rounds of {per_round}; load {_load()}")
    floor = None
    for name, request in requests:
        if isinstance(request, _WorkerCheck):
            best, queries = _worker_rounds(request, rounds, per_round)
        else:
            for _ in range(20):
                request()
            best = min(_round(request, per_round) for _ in range(rounds))
            with CaptureQueriesContext(connection) as captured:
                request()
            queries = f"{len(captured.captured_queries):3}"
        if name.startswith("signed in"):
            floor = best
        ratio = f"{best / floor:5.1f}x no-op" if floor else ""
        print(f"   {name:<22} {best * 1000:6.2f} ms  {queries} queries  {ratio}")
    print(f"   load after: {_load()}")


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _worker_rounds(check: "_WorkerCheck", rounds: int, per_round: int) -> tuple[float, str]:
    """The lowest CPU per press of `rounds` checks of `per_round` fresh presses (after one of 20 to
    warm up), and the queries of one more such check per press."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    check.prepare(20)
    check()
    check.verify()
    times = []
    for _ in range(rounds):
        check.prepare(per_round)
        times.append(_round(check, 1) / per_round)
        check.verify()
    check.prepare(per_round)
    with CaptureQueriesContext(connection) as captured:
        check()
    check.verify()
    return min(times), f"{len(captured.captured_queries) / per_round:5.1f}"


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
        # the presses of the submit row and of the worker's check (each: 20 to warm up, the rounds, one more)
        setup(drafts=2 * (args.rounds + 1) * args.per_round + 100)
    measure(args.rounds, args.per_round)


if __name__ == "__main__":
    main()
