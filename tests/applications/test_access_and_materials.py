"""Who sees what (404 for everyone else), uploads checked by content, audited downloads."""

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings

from duixian.applications.materials import MaterialError, material_store
from duixian.applications.models import Material
from duixian.applications.services import application_submit
from duixian.audit.models import AuditEvent

from .conftest import signin, EXE, PDF, at, ooxml, upload

pytestmark = pytest.mark.django_db


def stored_files() -> set[str]:
    """The names of the material files the storage holds."""
    return set(default_storage.listdir("materials")[1])


def pages(app):
    material = app.materials.first()
    return [
        f"/applications/{app.pk}/", f"/applications/{app.pk}/tasks/", f"/applications/{app.pk}/section/project/",
        f"/applications/{app.pk}/materials/", f"/applications/{app.pk}/check/", f"/applications/{app.pk}/status/",
        f"/applications/{app.pk}/summary.docx", f"/applications/{app.pk}/materials/file/{material.pk}/",
    ]


def test_another_organisations_application_answers_404(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    app = application_submit(complete_draft, user=users["hefei_applicant"], token="t", declaration=True)
    for username in ("wuhu_applicant", "wuhu_clerk", "expert", "system_admin", "audit_admin"):
        signin(client, users[username])
        for url in pages(app):
            assert client.get(url).status_code == 404, (username, url)
        assert client.post(f"/applications/{app.pk}/withdraw/", {"expected_state": "submitted"}).status_code == 404


def test_the_citys_clerk_and_the_province_may_read_and_download(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    # A draft is the organisation's own work: the clerk does not see it yet.
    signin(client, users["hefei_clerk"])
    assert client.get(f"/applications/{complete_draft.pk}/status/").status_code == 404
    app = application_submit(complete_draft, user=users["hefei_applicant"], token="t", declaration=True)
    material = app.materials.first()
    for username in ("hefei_clerk", "province", "hefei_applicant"):
        signin(client, users[username])
        assert client.get(f"/applications/{app.pk}/status/").status_code == 200
        response = client.get(f"/applications/{app.pk}/materials/file/{material.pk}/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="material.download").count() == 3


def test_a_pdf_that_is_an_exe_is_refused(complete_draft, users):
    with pytest.raises(MaterialError, match="文件内容不是可接受的类型"):
        material_store(complete_draft, "ip_proof", upload("证明.pdf", EXE), user=users["hefei_applicant"])
    # The earlier file stays; nothing half-made remains in the storage or in the database.
    assert complete_draft.materials.get(slot="ip_proof").original_name == "ip_proof.pdf"
    stored = {m.stored_name for m in Material.objects.all()}
    assert stored_files() == stored


def test_exe_upload_over_http_shows_the_error_beside_the_slot(client, complete_draft, users):
    signin(client, users["hefei_applicant"])
    response = client.post(f"/applications/{complete_draft.pk}/materials/ip_proof/upload/", {"file": upload("a.pdf", EXE)})
    assert response.status_code == 400
    assert "文件内容不是可接受的类型" in response.content.decode()


@pytest.mark.parametrize("name, content, expected", [
    ("合同.docx", ooxml("docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("投入.xlsx", ooxml("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("照片.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),  # named .pdf, is a PNG: accepted as PNG
])
def test_accepted_types_are_read_from_content(complete_draft, users, name, content, expected):
    material = material_store(complete_draft, "ip_proof", upload(name, content), user=users["hefei_applicant"])
    assert material.content_type == expected and material.original_name == name
    assert material.stored_name != name and len(material.stored_name) == 40


def test_a_plain_zip_is_not_a_docx(complete_draft, users):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(MaterialError):
        material_store(complete_draft, "ip_proof", upload("a.docx", buffer.getvalue()), user=users["hefei_applicant"])


@override_settings(MAX_UPLOAD_MB=1)
def test_size_limit_from_settings(complete_draft, users):
    with pytest.raises(MaterialError, match="1 MB"):
        material_store(complete_draft, "ip_proof", upload("big.pdf", PDF + b"0" * (1024 * 1024)), user=users["hefei_applicant"])


def test_a_failed_row_write_removes_the_file(complete_draft, users, monkeypatch):
    from duixian.applications import materials as m

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(m.Material.objects, "create", boom)
    before = stored_files()
    with pytest.raises(RuntimeError):
        material_store(complete_draft, "ip_proof", upload("x.pdf", PDF), user=users["hefei_applicant"])
    assert stored_files() == before
    assert complete_draft.materials.filter(slot="ip_proof").exists()  # the earlier file is kept


def test_materials_are_read_only_after_submission(client, complete_draft, users, time_machine):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    application_submit(complete_draft, user=users["hefei_applicant"], token="t", declaration=True)
    signin(client, users["hefei_applicant"])
    client.post(f"/applications/{complete_draft.pk}/materials/ip_proof/upload/", {"file": upload("new.pdf", PDF)})
    assert complete_draft.materials.get(slot="ip_proof").original_name == "ip_proof.pdf"
    response = client.post(f"/applications/{complete_draft.pk}/section/project/", {"project__in_anhui": "false"})
    assert response.status_code == 302 and response["Location"].endswith("/status/")
    complete_draft.refresh_from_db()
    assert complete_draft.facts["project"]["in_anhui"] is True


def test_a_file_kept_by_the_earlier_disk_only_code_is_still_served(client, complete_draft, users, settings):
    """Rows keep only the random name; the disk-only versions wrote MEDIA_ROOT/materials/<name>,
    which is where the local storage looks, so existing data needs no migration."""
    from pathlib import Path

    material = complete_draft.materials.get(slot="ip_proof")
    Material.objects.filter(pk=material.pk).update(stored_name="0f" * 20)
    old_style = Path(settings.MEDIA_ROOT) / "materials" / ("0f" * 20)
    old_style.write_bytes(b"%PDF-1.4 written by the old code\n")
    signin(client, users["hefei_applicant"])
    response = client.get(f"/applications/{complete_draft.pk}/materials/file/{material.pk}/")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 written by the old code\n"
