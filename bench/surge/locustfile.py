"""The last hour, as locust users (driven by bench/surge/run.py; loopback only).

SURGE_MODE=mix   each applicant opens the task list, saves a draft section (autosave.js's request),
                 uploads a material, opens 确认信息 and submits from it; /healthz is hit between
                 steps, so the trivial endpoint is measured under the same load.
SURGE_MODE=submit  flat out: the submit POST only, no think time. The form's token is the
                 client's own idempotency key (the server keeps none it handed out), so the
                 user makes one as the 确认信息 page would and posts the declaration straight away.
SURGE_MODE=lastminute  each user is one applicant pressing once, as a browser does: the press,
                 the 正在核验 page it leads to, that page's poll (HTMX, at the delay the server
                 asks for) until the check is done, then the confirmation; then the user stops.
                 The users start within a few seconds of each other: the last minute.
SURGE_MODE=insert  flat out: the bare one-INSERT view.   SURGE_MODE=healthz  flat out: /healthz.
Accepted submissions (302 to the confirmation page) are written to SURGE_ACCEPTED.

FastHttpUser (geventhttpclient) rather than HttpUser (requests): on 2 shared cores the load
generator must cost the server as little CPU as it can.
"""

import itertools
import json
import os
import re
import secrets
import threading
import time

import gevent
from locust import FastHttpUser, between, constant, events, task
from locust.exception import StopUser

MODE = os.environ.get("SURGE_MODE", "mix")
SESSIONS = json.load(open(os.environ["SURGE_SESSIONS"]))
_next = itertools.count()
_lock = threading.Lock()
ACCEPTED: list[int] = []
PDF = (b"%PDF-1.4\n1 0 obj<< /Type /Catalog /Pages 2 0 R >>endobj\n"
       b"2 0 obj<< /Type /Pages /Kids [] /Count 0 >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n")
TOKEN = re.compile(r'name="token" value="([^"]+)"')
STATE = re.compile(r'name="expected_state" value="([^"]+)"')
POLL = re.compile(r'hx-get="([^"]+)" hx-trigger="load delay:(\d+)s"')
BOUNDARY = "----surge" + secrets.token_hex(8)
# lastminute: the flat-out users' drafts, taken from the end (the flat-out phase takes from the front).
LAST = [me for me in SESSIONS if me["flat"]]
LAST_DRAFTS = {me["session"]: list(me["flat"]) for me in LAST}
DECIDED: list[float] = []  # lastminute: seconds from the press to the page showing the outcome
# lastminute, for each press shown its outcome: seconds from the press to the submit's answer, to
# 正在核验 shown, how many polls it took and the delays the server asked for
LEGS: list[tuple[float, float, int, list[int]]] = []


def multipart(field: str, filename: str, content: bytes, content_type: str) -> bytes:
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: {content_type}\r\n\r\n").encode()
    return head + content + f"\r\n--{BOUNDARY}--\r\n".encode()


UPLOAD_BODY = multipart("file", "申报书.pdf", PDF, "application/pdf")


@events.quitting.add_listener
def _write_accepted(environment, **kwargs):
    with open(os.environ["SURGE_ACCEPTED"], "w") as out:
        json.dump(ACCEPTED, out)
    if MODE == "lastminute":
        with open(os.environ["SURGE_ACCEPTED"].replace("-accepted.json", "-decided.json"), "w") as out:
            json.dump(DECIDED, out)
        with open(os.environ["SURGE_ACCEPTED"].replace("-accepted.json", "-legs.json"), "w") as out:
            json.dump(LEGS, out)


class Applicant(FastHttpUser):
    wait_time = between(0.5, 2.0) if MODE == "mix" else constant(0)
    insecure = True
    concurrency = 1

    def on_start(self):
        self.headers = {}
        if MODE in ("insert", "healthz"):
            return
        with _lock:
            index = next(_next)
        if MODE == "lastminute":
            me = LAST[index % len(LAST)]
            with _lock:
                self.drafts = [LAST_DRAFTS[me["session"]].pop()] if LAST_DRAFTS[me["session"]] else []
        else:
            if index >= len(SESSIONS):
                raise StopUser()
            me = SESSIONS[index]
            self.drafts = list(me["mix" if MODE == "mix" else "flat"])  # the mix never takes a flat-out draft
        # A signed-in browser: the session cookie, and a CSRF cookie echoed in the header as the
        # pages' JavaScript does.
        csrf = secrets.token_urlsafe(24)[:32].replace("-", "a").replace("_", "b")
        self.headers = {"Cookie": f"sessionid={me['session']}; csrftoken={csrf}", "X-CSRFToken": csrf,
                        "Referer": os.environ["SURGE_HOST"] + "/"}

    def post(self, path, name, data, **kw):
        return self.client.request("POST", path, name=name, data=data, headers={**self.headers, **kw.pop("headers", {})},
                                   **kw)

    def get(self, path, name, **kw):
        return self.client.request("GET", path, name=name, headers=self.headers, **kw)

    def submit(self, pk, token, state):
        with self.post(f"/applications/{pk}/check/", "submit", allow_redirects=False, catch_response=True,
                       data={"declaration": "on", "token": token, "expected_state": state}) as response:
            if response.status_code == 302 and response.headers.get("Location", "").endswith(f"/{pk}/confirmation/"):
                ACCEPTED.append(pk)
                response.success()
            else:
                response.failure(f"submit not accepted: {response.status_code}")

    def last_minute(self, pk):
        """One applicant's last minute, as the browser does it; then this user is done."""
        pressed = time.monotonic()
        with self.post(f"/applications/{pk}/check/", "submit", allow_redirects=False, catch_response=True,
                       data={"declaration": "on", "token": secrets.token_urlsafe(24), "expected_state": "draft"}) as r:
            taken = r.status_code == 302
            if taken:
                ACCEPTED.append(pk)
            else:
                r.failure(f"submit not accepted: {r.status_code}")
        if not taken:
            raise StopUser()
        answered = time.monotonic() - pressed
        page = self.get(f"/applications/{pk}/confirmation/", "正在核验 page")
        shown, polls = time.monotonic() - pressed, 0
        poll = POLL.search(page.text or "")
        delays = []
        while poll:
            polls += 1
            delays.append(int(poll.group(2)))
            gevent.sleep(int(poll.group(2)))
            with self.client.request("GET", poll.group(1).replace("&amp;", "&"), name="poll", catch_response=True,
                                     headers={**self.headers, "HX-Request": "true"}) as answer:
                if answer.status_code != 200:
                    answer.failure(f"poll: {answer.status_code}")
                status, refresh, text = answer.status_code, answer.headers.get("HX-Refresh"), answer.text or ""
            if status != 200:
                raise StopUser()
            if refresh == "true":
                break
            poll = POLL.search(text)
        done = self.get(f"/applications/{pk}/confirmation/", "confirmation")
        if "申报已提交" in (done.text or ""):
            DECIDED.append(time.monotonic() - pressed)
            LEGS.append((answered, shown, polls, delays))
        while True:  # done; idle rather than stop, which would make locust start another applicant
            gevent.sleep(60)

    def check_then_submit(self, pk):
        with self.get(f"/applications/{pk}/check/", "check page", catch_response=True) as page:
            text = page.text or ""
            token, state = TOKEN.search(text), STATE.search(text)
            if not (token and state):
                page.failure("no submit form on 确认信息")
                return
        self.submit(pk, token.group(1), state.group(1))

    @task
    def step(self):
        if MODE == "insert":
            self.client.request("POST", "/bench/insert", name="bare insert")
            return
        if MODE == "healthz":
            self.client.request("GET", "/healthz", name="healthz")
            return
        if not self.drafts:
            raise StopUser()
        pk = self.drafts.pop(0)
        if MODE == "submit":
            self.submit(pk, secrets.token_urlsafe(24), "draft")
            return
        if MODE == "lastminute":
            self.last_minute(pk)
        self.get(f"/applications/{pk}/tasks/", "task list")
        self.get("/healthz", "healthz")
        self.post(f"/applications/{pk}/section/project/", "save draft", headers={"X-Duixian-Autosave": "1"},
                  data={"project_name": f"压测项目-{pk}", "project__in_anhui": "true",
                        "project__occurred_on": "2025-12-01", "amount_requested_wan": "24",
                        "contact_name": "张工", "contact_phone": "13155113928"})
        self.get("/healthz", "healthz")
        with self.post(f"/applications/{pk}/materials/application_form/upload/", "upload", data=UPLOAD_BODY,
                       headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
                       allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"upload refused: {response.status_code}")
        self.get("/healthz", "healthz")
        self.check_then_submit(pk)
        self.get("/healthz", "healthz")
