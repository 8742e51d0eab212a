"""A change and its audit row commit together: when the audit row cannot be written, the upload
(its row and its stored file) or the new draft is not kept either, and the user gets an error."""

import pytest
from django.core.files.storage import default_storage

from duixian.applications.models import Application
from duixian.applications.services import application_create
from duixian.audit.models import AuditEvent

from .conftest import PDF, signin, upload

pytestmark = pytest.mark.django_db


class AuditDown(RuntimeError):
    pass


@pytest.fixture
def audit_fails(monkeypatch):
    """Writing an audit row of `action` fails (the database refuses the insert)."""
    real = AuditEvent.save

    def fail(action):
        def save(event, *args, **kwargs):
            if event.action == action:
                raise AuditDown(f"cannot write {action}")
            return real(event, *args, **kwargs)

        monkeypatch.setattr(AuditEvent, "save", save)

    return fail


def stored_files() -> set[str]:
    return set(default_storage.listdir("materials")[1])


def test_an_upload_whose_audit_row_fails_is_not_kept(client, complete_draft, users, audit_fails):
    before_rows = {(m.slot, m.stored_name) for m in complete_draft.materials.all()}
    before_files = stored_files()
    audit_fails("material.upload")
    signin(client, users["hefei_applicant"])
    client.raise_request_exception = False
    response = client.post(f"/applications/{complete_draft.pk}/materials/ip_proof/upload/",
                           {"file": upload("新证明.pdf", PDF + b"% new\n")})
    assert response.status_code == 500  # the applicant is told it failed, not that it was stored
    assert {(m.slot, m.stored_name) for m in complete_draft.materials.all()} == before_rows  # the earlier file stays
    assert complete_draft.materials.get(slot="ip_proof").original_name == "ip_proof.pdf"
    assert stored_files() == before_files  # the new file is not left behind in the storage
    assert not AuditEvent.objects.filter(action="material.upload").exists()


def test_a_draft_whose_audit_row_fails_is_not_created(users, audit_fails, time_machine):
    from .conftest import at

    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    audit_fails("application.create")
    with pytest.raises(AuditDown):
        application_create(user=users["hefei_applicant"], clause="2", project_name="医院影像辅助诊断大模型应用")
    assert not Application.objects.exists()
