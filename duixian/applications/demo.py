"""Demo applications in 合肥: some submitted, some recommended (for the city's 汇总表).

Idempotent: an application that exists (organisation, clause, project) is left as it is.
Every state change still goes through the workflow; the clock is pinned to plausible moments
inside the 2026 window while seeding, so the history reads like a real one.
"""

from __future__ import annotations

from datetime import datetime
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from duixian.accounts.models import User
from duixian.applications import policy_bridge
from duixian.applications.materials import material_store
from duixian.applications.models import Application
from duixian.applications.services import application_create, application_save_answers, application_submit
from duixian.applications.workflow import application_transition
from duixian.core.clock import SHANGHAI

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<< /Type /Catalog /Pages 2 0 R >>endobj\n"
    b"2 0 obj<< /Type /Pages /Kids [] /Count 0 >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"
)

_SCENE = {
    "project.in_anhui": True, "org.independent_legal_person": True, "org.owns_ip": True,
    "org.credit_good": True, "org.major_violation": False, "scene.owner_is_applicant": True,
    "scene.in_anhui": True, "scene.status": "in_use", "scene.own_supply_capability": False,
    "scene.purchased_solution": True, "scene.prior_support": [],
}

# (username, clause, type, project, answers, final state, submitted at)
DEMO_APPLICATIONS = [
    ("hefei_applicant", "2", "", "医院影像辅助诊断大模型应用",
     {**_SCENE, "project.occurred_on": "2025-12-01", "scene.development_investment_wan": "120",
      "amount_requested_wan": 24}, "recommended", "2026-04-15 09:30"),
    ("hefei_applicant", "2", "", "智能制造质检视觉大模型应用",
     {**_SCENE, "project.occurred_on": "2026-01-18", "scene.development_investment_wan": "650",
      "amount_requested_wan": 100}, "recommended", "2026-04-16 14:05"),
    ("hefei_applicant", "2", "", "政务热线智能问答大模型应用",
     {**_SCENE, "project.occurred_on": "2026-02-10", "scene.development_investment_wan": "80",
      "amount_requested_wan": 16}, "submitted", "2026-04-18 10:20"),
    ("park_applicant", "5", "evaluation", "庐州人工智能产业园2025年度绩效评价",
     {"project.in_anhui": True, "project.occurred_on": "2025-11-20", "org.independent_legal_person": True,
      "org.owns_ip": True, "org.credit_good": True, "org.major_violation": False,
      "park.approved_year": 2025, "operator.prior_support": [], "amount_requested_wan": 50}, "submitted", "2026-04-17 16:45"),
]


def _moment(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


@transaction.atomic
def load_demo_applications() -> int:
    """Create the demo applications that are missing; return how many were created."""
    from duixian.orgs.demo import load_demo_letters

    load_demo_letters()  # only a confirmed organisation submits: its 授权书 first
    created = 0
    clerk = User.objects.filter(username="hefei_clerk").first()
    for username, clause, app_type, project, answers, final, when in DEMO_APPLICATIONS:
        user = User.objects.filter(username=username).first()
        if user is None or user.organisation is None:
            continue
        if Application.objects.filter(organisation=user.organisation, clause=clause, project_name=project).exists():
            continue
        moment = _moment(when)
        with mock.patch("duixian.core.clock.now", return_value=moment):
            app = application_create(user=user, clause=clause, application_type=app_type, project_name=project)
            values = dict(answers)
            values.setdefault("contact_name", user.full_name or user.username)
            # The applicant's own number (demo/loader.py); a fictional one for an account made without it.
            values.setdefault("contact_phone", user.phone or user.organisation.contact_phone or "13705518826")
            app = application_save_answers(app, values, user=user)
            for slot in policy_bridge.material_slots(clause, app_type):
                material_store(app, slot.id, SimpleUploadedFile(f"{slot.name[:20]}.pdf", DEMO_PDF), user=user)
            app = application_submit(app, user=user, token=f"demo-{app.pk}", declaration=True)
        if final == "recommended" and clerk is not None:
            # Before the demo clock (2026-04-20 10:00): the demo's history lies in its past.
            with mock.patch("duixian.core.clock.now", return_value=_moment("2026-04-17 15:00")):
                application_transition(app, "recommend", clerk)
        created += 1
    return created
