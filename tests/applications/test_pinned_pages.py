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
    return re.sub(r'name="token" value="[^"]*"', 'name="token" value="…"', text)


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
                             item_reasons={item: f"缺少{HOSTILE}", "other": f"另{HOSTILE}"})
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
