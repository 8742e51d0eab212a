"""The applicant's pages, pinned byte for byte (issue 22: making them cheaper must not change them).

Each page's <title> and <main> (what the page itself writes; base.html's chrome around it is
another test's) in Chinese and English, for a draft, a submitted, a returned and a pressed (being
checked) application whose answers, return reasons and file names carry hostile text
(<script>"'&), so that escaping is pinned too. The expected HTML is in tests/applications/pinned/;
after a change the applicant is meant to see, write it again with

    PIN_PAGES_WRITE=1 .venv/bin/pytest tests/applications/test_pinned_pages.py -p no:cacheprovider

and read the diff before committing it.
"""

import os
import re
from pathlib import Path

import pytest

from duixian.applications import policy_bridge
from duixian.applications.materials import material_store
from duixian.applications.services import application_create, application_save_answers
from duixian.applications.services import application_submit
from duixian.review.services import review_decide

from .conftest import CLAUSE2_ANSWERS, PDF, at, signin, upload

pytestmark = pytest.mark.django_db

PINNED = Path(__file__).parent / "pinned"
HOSTILE = "<script>\"'&amp;"
ANSWERS = {**CLAUSE2_ANSWERS, "contact_name": f"张{HOSTILE}", "scene.prior_support": ["clause1_scene_project"],
           "scene.status": "in_use"}


def _page(html: str) -> str:
    title = re.search(r"<title>.*?</title>", html, re.S).group(0)
    main = re.search(r"<main id=\"main\".*?</main>", html, re.S).group(0)
    text = f"{title}\n{main}\n"
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value="…"', text)
    text = re.sub(r'name="token" value="[^"]*"', 'name="token" value="…"', text)
    # ids and reference numbers as the database counts them (PostgreSQL's sequences run on across tests)
    text = re.sub(r"\b(DX[0-9]{4}-[0-9]{6}-)[0-9]{6}\b", r"\1#", text)
    return re.sub(r'(/applications/|/file/|/attach/|<option value=")[0-9]+', r"\1#", text)


def _pin(name: str, html: str) -> None:
    path = PINNED / f"{name}.html"
    got = _page(html)
    if os.environ.get("PIN_PAGES_WRITE"):
        PINNED.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
        return
    assert got == path.read_text(encoding="utf-8"), f"{name}: the page changed (see the module's docstring)"


def _draft(user, project, *, materials=True):
    app = application_create(user=user, clause="2", project_name=project)
    app = application_save_answers(app, dict(ANSWERS), user=user)
    if materials:
        slots = policy_bridge.material_slots(app.clause, app.application_type)
        for i, slot in enumerate(slots[:-2]):  # two left empty: 未上传 on the pages
            material_store(app, slot.id, upload(f"{i}-{HOSTILE}.pdf" if i % 2 else f"{slot.id}.pdf", PDF), user=user)
    return app


@pytest.fixture
def apps(users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    user = users["hefei_applicant"]
    draft = _draft(user, f"草稿项目{HOSTILE}")
    empty = application_create(user=user, clause="2", project_name="空白草稿")
    submitted = application_submit(_draft(user, f"已提交项目{HOSTILE}"), user=user, token="tok-s", declaration=True)
    returned = application_submit(_draft(user, f"退回项目{HOSTILE}"), user=user, token="tok-r", declaration=True)
    time_machine.move_to(at("2026-04-22 15:30:00"), tick=False)
    item = policy_bridge.checklist_items("2", policy_bridge.application_pack(returned))[0].id
    returned = review_decide(returned, "return", user=users["hefei_clerk"], reason=f"请补正{HOSTILE}",
                             item_reasons={"other": f"另{HOSTILE}", item: f"缺少{HOSTILE}"})  # as JSONB orders them
    time_machine.move_to(at("2026-04-23 09:15:00"), tick=False)
    return {"draft": draft, "empty": empty, "submitted": submitted, "returned": returned}


PAGES = [
    ("draft-tasks", "draft", "tasks/"),
    ("draft-section-project", "draft", "section/project/"),
    ("draft-section-scene", "draft", "section/scene/"),
    ("draft-materials", "draft", "materials/"),
    ("draft-check", "draft", "check/"),
    ("draft-status", "draft", "status/"),
    ("empty-tasks", "empty", "tasks/"),
    ("empty-section-scene", "empty", "section/scene/"),
    ("empty-materials", "empty", "materials/"),
    ("empty-check", "empty", "check/"),
    ("submitted-status", "submitted", "status/"),
    ("submitted-materials", "submitted", "materials/"),
    ("submitted-confirmation", "submitted", "confirmation/"),
    ("returned-tasks", "returned", "tasks/"),
    ("returned-section-org", "returned", "section/org/"),
    ("returned-check", "returned", "check/"),
    ("returned-status", "returned", "status/"),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_applicant_pages_are_pinned(client, users, apps, language):
    signin(client, users["hefei_applicant"])
    client.cookies["django_language"] = language
    for name, which, path in PAGES:
        response = client.get(f"/applications/{apps[which].pk}/{path}")
        assert response.status_code == 200, (name, response.status_code)
        _pin(f"{name}.{language}", response.content.decode())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_while_a_press_is_checked_are_pinned(client, users, apps, settings, language):
    settings.SUBMISSIONS_QUEUED = True
    signin(client, users["hefei_applicant"])
    client.cookies["django_language"] = language
    pk = apps["draft"].pk
    response = client.post(f"/applications/{pk}/check/", {"declaration": "on", "token": "tok-q", "expected_state": "draft"})
    assert response.status_code == 302 and response["Location"].endswith(f"/{pk}/confirmation/")
    _pin(f"pending-confirmation.{language}", client.get(f"/applications/{pk}/confirmation/").content.decode())
    _pin(f"pending-status.{language}", client.get(f"/applications/{pk}/status/").content.decode())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_materials_with_the_wallet_and_a_refused_upload_are_pinned(client, users, time_machine, language):
    """材料 of an organisation with a 单位证照库 (one document attached to a slot, past its validity,
    and two to choose from) and a file that cannot be previewed (XLSX), and the page a refused upload
    answers with (400, the error at its slot)."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from duixian.wallet.services import wallet_attach, wallet_document_add

    from .conftest import EXE, ooxml

    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    user = users["wuhu_applicant"]
    app = _draft(user, f"证照项目{HOSTILE}", materials=False)
    licence = wallet_document_add(user.organisation, doc_type="business_licence", title=f"营业执照{HOSTILE}",
                                  issuer=f"市场监管局{HOSTILE}", issued_on=date(2021, 3, 1), valid_until=date(2026, 4, 1),
                                  upload=SimpleUploadedFile("营业执照.pdf", PDF), user=user)
    wallet_document_add(user.organisation, doc_type="credit_report", title="信用报告", issuer="信用中国",
                        upload=SimpleUploadedFile("信用报告.pdf", PDF), user=user)
    wallet_attach(app, "business_licence", licence, user=user)
    material_store(app, "application_form", upload("申报书.docx", PDF), user=user)
    material_store(app, "credit_report", upload(f"信用{HOSTILE}.xlsx", ooxml("xlsx")), user=user)  # no 预览
    signin(client, user)
    client.cookies["django_language"] = language
    _pin(f"wallet-materials.{language}", client.get(f"/applications/{app.pk}/materials/").content.decode())
    refused = client.post(f"/applications/{app.pk}/materials/ip_proof/upload/", {"file": upload(f"坏{HOSTILE}.exe", EXE)})
    assert refused.status_code == 400
    _pin(f"wallet-refused-upload.{language}", refused.content.decode())
    _pin(f"wallet-check.{language}", client.get(f"/applications/{app.pk}/check/").content.decode())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_section_with_not_done_dates_is_pinned(client, users, time_machine, language):
    """A section whose dates may be 尚未完成 (clause 4's conversion): one ticked, one dated, two
    not answered."""
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    user = users["hefei_applicant"]
    app = application_create(user=user, clause="4", project_name=f"转化项目{HOSTILE}")
    app = application_save_answers(app, {"conversion.investment_agreement_signed_on": None,
                                         "conversion.registration_moved_on": "2025-10-01"}, user=user)
    signin(client, user)
    client.cookies["django_language"] = language
    _pin(f"notdone-section.{language}", client.get(f"/applications/{app.pk}/section/conversion/").content.decode())
