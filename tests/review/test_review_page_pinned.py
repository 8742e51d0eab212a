"""The clerk's review page, pinned byte for byte (issue 22 made it cheaper to write).

The page's <title> and <main> (the chrome around them is base.html's) are compared whole with
the files in review_page/, in Chinese and in English, for an application whose organisation,
project, contact, answers and the clerk's notes carry HTML (`<script>"'&`), so the escaping is
pinned as well as the words: before a review, after the clerk saved the checklist, with the
verdict recomputed, after a refused decision (400, the error summary) and after a return for
correction (the history's reasons per item). Application and file ids, the reference and CSRF
tokens are masked. The answers are in the form's order on SQLite and PostgreSQL alike (jsonb keeps
a snapshot's keys in its own order; answer_rows puts them back). To write the files anew after a
deliberate change of the page:
`PIN_WRITE=1 .venv/bin/pytest tests/review/test_review_page_pinned.py`, and read the diff.
"""

import os
import re
from pathlib import Path

import pytest

from duixian.orgs.models import Organisation

from .conftest import at, make_submitted, signin

pytestmark = pytest.mark.django_db

PINNED = Path(__file__).parent / "review_page"
HOSTILE = "<script>\"'&"


@pytest.fixture
def hostile(users, time_machine):
    Organisation.objects.filter(pk=users["hefei_applicant"].organisation_id).update(name=f"合肥{HOSTILE}科技有限公司")
    app = make_submitted(users["hefei_applicant"], f"影像{HOSTILE}大模型应用", time_machine=time_machine,
                         contact_name=f"张{HOSTILE}", **{"scene.development_investment_wan": "120"})
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    return app


def _masked(html: str, app) -> str:
    title = re.search(r"<title>.*?</title>", html, re.S).group(0)
    main = re.search(r'<main id="main".*?</main>', html, re.S).group(0)
    text = f"{title}\n{main}\n"
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="{CSRF}"', text)
    for material in app.materials.all():
        text = text.replace(f"/file/{material.pk}/", "/file/{M}/").replace(f"/materials/{material.pk}/", "/materials/{M}/")
    text = text.replace(f"/{app.pk}/", "/{PK}/")
    return text.replace(app.reference, "{REF}") if app.reference else text


def _check(client, settings, app, language: str, name: str, response=None, path: str = "") -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if response is None:
        response = client.get(path or f"/review/{app.pk}/")
        assert response.status_code == 200
    app.refresh_from_db()
    got = _masked(response.content.decode(), app)
    pinned = PINNED / f"{name}.{language}.html"
    if os.environ.get("PIN_WRITE") == "1":
        PINNED.mkdir(exist_ok=True)
        pinned.write_text(got, encoding="utf-8")
    assert got == pinned.read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_review_page_before_a_review(client, settings, users, hostile, language):
    signin(client, users["hefei_clerk"])
    _check(client, settings, hostile, language, "submitted")
    page = client.get(f"/review/{hostile.pk}/").content.decode()
    assert HOSTILE not in page and "&lt;script&gt;&quot;&#x27;&amp;" in page  # escaped wherever it shows
    _check(client, settings, hostile, language, "recomputed", path=f"/review/{hostile.pk}/?recompute=1")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_review_page_after_the_checklist_is_saved(client, settings, users, hostile, language):
    signin(client, users["hefei_clerk"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(f"/review/{hostile.pk}/checklist/", {
        "cl-result_scene": "pass", "cl-note_scene": f"现场{HOSTILE}一致",
        "cl-result_purchase": "correct", "cl-note_purchase": f"请补充{HOSTILE}发票",
        "cl-result_amount": "fail", "cl-note_amount": "",
    })
    assert response.status_code == 302
    _check(client, settings, hostile, language, "checklist_saved")  # with the message it leads to
    _check(client, settings, hostile, language, "checklist_saved_again")
    response = client.post(f"/review/{hostile.pk}/checklist/", {"cl-result_scene": "maybe"})
    _check(client, settings, hostile, language, "checklist_refused", response=response)
    assert response.status_code == 400


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_review_page_after_a_refused_decision_and_a_return(client, settings, users, hostile, language):
    signin(client, users["hefei_clerk"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(f"/review/{hostile.pk}/act/not_recommend/", {"nr-expected_state": "submitted"})
    assert response.status_code == 400
    _check(client, settings, hostile, language, "refused", response=response)
    response = client.post(f"/review/{hostile.pk}/act/return/", {
        "ret-expected_state": "submitted", "ret-item_scene": f"场景{HOSTILE}照片"})  # one: jsonb orders several its own way
    assert response.status_code == 302
    _check(client, settings, hostile, language, "returned")
