"""The last hour, as locust users (driven by bench/surge/run.py; loopback only).

SURGE_MODE=mix   each applicant opens the task list, saves a draft section (HTMX autosave),
                 uploads a material, opens 确认信息 and submits; /healthz is hit between steps,
                 so the trivial endpoint is measured under the same load.
SURGE_MODE=submit  flat out: 确认信息 + submit only, no think time.
SURGE_MODE=insert  flat out: the bare one-INSERT view.   SURGE_MODE=healthz  flat out: /healthz.
Accepted submissions (302 to the confirmation page) are written to SURGE_ACCEPTED.
"""

import itertools
import json
import os
import re
import threading

from locust import HttpUser, between, constant, events, task
from locust.exception import StopUser

MODE = os.environ.get("SURGE_MODE", "mix")
SESSIONS = json.load(open(os.environ["SURGE_SESSIONS"]))
DRAFT_OFFSET = int(os.environ.get("SURGE_DRAFT_OFFSET", "0"))
_next = itertools.count()
_lock = threading.Lock()
ACCEPTED: list[int] = []
PDF = (b"%PDF-1.4\n1 0 obj<< /Type /Catalog /Pages 2 0 R >>endobj\n"
       b"2 0 obj<< /Type /Pages /Kids [] /Count 0 >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n")
TOKEN = re.compile(r'name="token" value="([^"]+)"')
STATE = re.compile(r'name="expected_state" value="([^"]+)"')


@events.quitting.add_listener
def _write_accepted(environment, **kwargs):
    with open(os.environ["SURGE_ACCEPTED"], "w") as out:
        json.dump(ACCEPTED, out)


class Applicant(HttpUser):
    wait_time = between(0.5, 2.0) if MODE == "mix" else constant(0)

    def on_start(self):
        if MODE in ("insert", "healthz"):
            return
        with _lock:
            index = next(_next)
        if index >= len(SESSIONS):
            raise StopUser()
        me = SESSIONS[index]
        self.drafts = list(me["applications"][DRAFT_OFFSET:])
        self.client.cookies.set("sessionid", me["session"])
        self.client.get("/applications/", name="list")  # sets the csrftoken cookie

    def csrf(self):
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}

    def submit(self, pk):
        with self.client.get(f"/applications/{pk}/check/", name="check page", catch_response=True) as page:
            token, state = TOKEN.search(page.text), STATE.search(page.text)
            if not (token and state):
                page.failure("no submit form on 确认信息")
                return
        with self.client.post(f"/applications/{pk}/check/", name="submit", allow_redirects=False, headers=self.csrf(),
                              data={"declaration": "on", "token": token.group(1), "expected_state": state.group(1)},
                              catch_response=True) as response:
            if response.status_code == 302 and response.headers.get("Location", "").endswith(f"/{pk}/confirmation/"):
                ACCEPTED.append(pk)
                response.success()
            else:
                response.failure(f"submit not accepted: {response.status_code}")

    @task
    def step(self):
        if MODE == "insert":
            self.client.post("/bench/insert", name="bare insert")
            return
        if MODE == "healthz":
            self.client.get("/healthz", name="healthz")
            return
        if not self.drafts:
            raise StopUser()
        pk = self.drafts.pop(0)
        if MODE == "submit":
            self.submit(pk)
            return
        self.client.get(f"/applications/{pk}/tasks/", name="task list")
        self.client.get("/healthz", name="healthz")
        self.client.post(f"/applications/{pk}/section/project/", name="save draft",
                         headers={**self.csrf(), "HX-Request": "true"},
                         data={"project_name": f"压测项目-{pk}", "project__in_anhui": "true",
                               "project__occurred_on": "2025-12-01", "amount_requested_wan": "24",
                               "contact_name": "张工", "contact_phone": "13155113928"})
        self.client.get("/healthz", name="healthz")
        with self.client.post(f"/applications/{pk}/materials/application_form/upload/", name="upload",
                              headers=self.csrf(), files={"file": ("申报书.pdf", PDF, "application/pdf")},
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"upload refused: {response.status_code}")
        self.client.get("/healthz", name="healthz")
        self.submit(pk)
        self.client.get("/healthz", name="healthz")
