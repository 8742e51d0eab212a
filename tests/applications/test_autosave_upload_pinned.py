"""The autosave's answer and the upload's answer, pinned byte for byte (issue 22: making the two
most expensive requests of the mix cheaper must not change what the applicant or the auditor sees).

For each: the response (status, the headers the browser acts on, the body; for the upload the
message the next page shows), what is stored (the application's row, the material's row and file)
and the audit row, in Chinese and English, with hostile text (<script>"'&) where the applicant
types (the project name, the contact, a wrong phone, the file's name). The expected answers are
in tests/applications/pinned/; after a change the applicant is meant to see, write them again with

    PIN_PAGES_WRITE=1 .venv/bin/pytest tests/applications/test_autosave_upload_pinned.py -p no:cacheprovider

and read the diff before committing it.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage

from duixian.applications.materials import storage_name
from duixian.applications.models import Application, Material
from duixian.applications.services import application_create, application_save_answers
from duixian.audit.models import AuditEvent

from .conftest import CLAUSE2_ANSWERS, PDF, at, fill_materials, signin, upload

pytestmark = pytest.mark.django_db

PINNED = Path(__file__).parent / "pinned"
HOSTILE = "<script>\"'&amp;"
AUTOSAVE = {"HTTP_X_DUIXIAN_AUTOSAVE": "1"}
SAVE = {"project_name": f"压测项目{HOSTILE}", "project__in_anhui": "true", "project__occurred_on": "2025-12-01",
        "amount_requested_wan": "24", "contact_name": f"张工{HOSTILE}", "contact_phone": "13155113928"}
WRONG = {**SAVE, "contact_phone": f"131{HOSTILE}", "amount_requested_wan": "99999",
         "project__occurred_on": f"2025-13-01{HOSTILE}"}


def _ids(text: str) -> str:
    """ids as the database counts them (PostgreSQL's sequences run on across tests)."""
    return re.sub(r"(/applications/|\"application\": |\"object_id\": \")[0-9]+", r"\1#", text)


def _pin(name: str, got: str) -> None:
    path = PINNED / f"{name}.txt"
    got = _ids(got)
    if os.environ.get("PIN_PAGES_WRITE"):
        path.write_text(got, encoding="utf-8")
        return
    assert got == path.read_text(encoding="utf-8"), f"{name}: the answer changed (see the module's docstring)"


def _row(app: Application) -> str:
    app.refresh_from_db()
    return json.dumps({
        "project_name": app.project_name, "amount_requested_wan": str(app.amount_requested_wan),
        "contact_name": app.contact_name, "contact_phone": app.contact_phone, "facts": app.facts,
        "updated_at": app.updated_at.isoformat(), "version": app.version, "state": app.state,
    }, ensure_ascii=False, sort_keys=True, indent=1)


def _audit(since: int) -> str:
    rows = AuditEvent.objects.filter(pk__gt=since).order_by("pk")
    return json.dumps([{
        "action": e.action, "username": e.username, "role": e.role, "city_code": e.city_code, "ip": e.ip,
        "object_type": e.object_type, "object_id": e.object_id, "outcome": e.outcome, "detail": e.detail,
        "at": e.at.isoformat(),
    } for e in rows], ensure_ascii=False, sort_keys=True, indent=1)


def _last_audit() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


@pytest.fixture
def draft(users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    user = users["hefei_applicant"]
    app = application_create(user=user, clause="2", project_name="草稿项目")
    app = application_save_answers(app, dict(CLAUSE2_ANSWERS), user=user)
    fill_materials(app, user)
    time_machine.move_to(at("2026-04-23 09:15:00"), tick=False)
    return app


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("case, data", [("saved", SAVE), ("refused", WRONG)])
def test_the_autosave_answer_is_pinned(client, users, draft, language, case, data, django_capture_on_commit_callbacks):
    signin(client, users["hefei_applicant"])
    client.cookies["django_language"] = language
    since = _last_audit()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/applications/{draft.pk}/section/project/", data, **AUTOSAVE)
    head = f"{response.status_code} {response['Content-Type']}\n"
    _pin(f"autosave-{case}.{language}", head + response.content.decode() + "\n" + _row(draft) + "\n" + _audit(since) + "\n")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_upload_answer_is_pinned(client, users, draft, language, django_capture_on_commit_callbacks):
    signin(client, users["hefei_applicant"])
    client.cookies["django_language"] = language
    earlier = draft.materials.get(slot="application_form")
    since = _last_audit()
    with django_capture_on_commit_callbacks(execute=True):  # the earlier file is deleted after the commit
        response = client.post(f"/applications/{draft.pk}/materials/application_form/upload/",
                               {"file": upload(f"申报书{HOSTILE}.pdf", PDF + b"% v2\n")})
    material = draft.materials.get(slot="application_form")
    with default_storage.open(storage_name(material), "rb") as handle:
        content = handle.read()
    assert content == PDF + b"% v2\n" and not default_storage.exists(storage_name(earlier))
    assert Material.objects.filter(application=draft, slot="application_form").count() == 1
    stored = json.dumps({
        "original_name": material.original_name, "sha256": material.sha256, "size": material.size,
        "content_type": material.content_type, "uploaded_by": material.uploaded_by.username,
        "uploaded_at": material.uploaded_at.isoformat(), "wallet_document": material.wallet_document_id,
        "stored_name": bool(re.fullmatch(r"[0-9a-f]{40}", material.stored_name)),
    }, ensure_ascii=False, sort_keys=True, indent=1)
    told = [f"{m.level_tag}: {m.message}" for m in get_messages(response.wsgi_request)]
    audit = _audit(since).replace(f'"{material.pk}"', '"<material>"')
    _pin(f"upload.{language}", f"{response.status_code} {response['Location']}\n{response.content!r}\n"
                               f"{told}\n{stored}\n{audit}\n")


def test_an_autosave_renaming_to_a_name_in_use_changes_nothing(client, users, draft, django_capture_on_commit_callbacks):
    """The refused name rolls back the whole save (the contact typed with it too), on SQLite and
    PostgreSQL alike, and the next save works."""
    application_create(user=users["hefei_applicant"], clause="2", project_name="另一个项目")
    signin(client, users["hefei_applicant"])
    before = _row(draft)
    url = f"/applications/{draft.pk}/section/project/"
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {**SAVE, "project_name": "另一个项目"}, **AUTOSAVE).json()
    assert answer["saved"] is True and "换一个项目名称" in answer["errors"]["project_name"][0]
    assert _row(draft) == before
    answer = client.post(url, SAVE, **AUTOSAVE).json()
    assert answer["errors"] == {} and Application.objects.get(pk=draft.pk).contact_name == SAVE["contact_name"]


def test_a_slot_is_emptied_by_one_delete_because_nothing_hangs_on_a_material():
    """materials._clear_slot deletes a replaced file's row with one DELETE ... RETURNING, past the
    ORM's collector: right only while no model points at Material and nothing listens for its
    deletion. Whoever adds either must go back to Model.delete() there."""
    from django.db.models.signals import post_delete, pre_delete

    assert not [f for f in Material._meta.get_fields() if f.auto_created and not f.concrete]
    assert not pre_delete.has_listeners(Material) and not post_delete.has_listeners(Material)
