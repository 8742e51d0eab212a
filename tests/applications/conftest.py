"""Helpers for application tests: a complete clause-2 draft, files of every kind, moments."""

import io
import zipfile
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duixian.applications import policy_bridge
from duixian.applications.materials import material_store
from duixian.applications.services import application_create, application_save_answers
from duixian.core.clock import SHANGHAI

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200

CLAUSE2_ANSWERS = {
    "project.in_anhui": True,
    "project.occurred_on": "2025-12-01",
    "amount_requested_wan": 24,
    "contact_name": "张晓明",
    "contact_phone": "13155113928",
    "org.independent_legal_person": True,
    "org.owns_ip": True,
    "org.credit_good": True,
    "org.major_violation": False,
    "scene.owner_is_applicant": True,
    "scene.in_anhui": True,
    "scene.status": "in_use",
    "scene.own_supply_capability": False,
    "scene.purchased_solution": True,
    "scene.development_investment_wan": "120",
    "scene.prior_support": [],
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The suite's users fixture hashes nine passwords; the production hasher makes that seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signin(client, user):
    """Sign in fully, past the staff second factor where the platform asks for one."""
    try:
        from tests.conftest import otp_login
    except ImportError:
        client.force_login(user)
        return client
    return otp_login(client, user)


def at(text: str) -> datetime:
    """A Beijing-time moment: at("2026-05-05 23:58:59")."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def ooxml(kind: str) -> bytes:
    main = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    }[kind]
    part = "/word/document.xml" if kind == "docx" else "/xl/workbook.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml",
                         f'<?xml version="1.0"?><Types><Override PartName="{part}" ContentType="{main}"/></Types>')
        archive.writestr(part.lstrip("/"), "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def fill_materials(app, user):
    for slot in policy_bridge.material_slots(app.clause, app.application_type):
        material_store(app, slot.id, upload(f"{slot.id}.pdf", PDF), user=user)


@pytest.fixture
def complete_draft(users, time_machine):
    """A clause-2 draft of the 合肥 applicant with every answer and material, made on 4-20."""
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    user = users["hefei_applicant"]
    app = application_create(user=user, clause="2", project_name="医院影像辅助诊断大模型应用")
    app = application_save_answers(app, dict(CLAUSE2_ANSWERS), user=user)
    fill_materials(app, user)
    return app
