"""Materials in object storage (S3_BUCKET set): every write, read, download, export, backup and
restore goes through Django's storage API, so nothing lands under MEDIA_ROOT.

Django's InMemoryStorage stands in for the bucket. It has no file-system path at all: code that
still wrote MEDIA_ROOT/materials/... would leave a file there, and code that still read it would
not find the file; both show in these tests.
"""

import io
import tarfile
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from duixian.authz.roles import Role
from duixian.applications.services import application_create, application_save_answers
from duixian.policy.pack import default_pack
from tests.conftest import make_user
from tests.decisions.conftest import make_recommended

from .conftest import CLAUSE2_ANSWERS, EXE, PDF, at, signin, upload

pytestmark = pytest.mark.django_db(transaction=True)

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
PDF_V3 = PDF + b"% third version\n"
IN_MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}


@pytest.fixture
def bucket(settings):
    """The default storage is a (memory) bucket; answers the settings of the local disk."""
    local = dict(settings.STORAGES)
    settings.STORAGES = {**local, "default": IN_MEMORY}
    return local


def objects(prefix: str = "") -> dict[str, bytes]:
    """Every file of the default storage, by name."""
    found = {}
    directories, files = default_storage.listdir(prefix)
    for name in files:
        with default_storage.open(f"{prefix}{name}", "rb") as handle:
            found[f"{prefix}{name}"] = handle.read()
    for directory in directories:
        found.update(objects(f"{prefix}{directory}/"))
    return found


def media_files(settings) -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def backup(tmp_path) -> Path:
    out = io.StringIO()
    call_command("backup", out=str(tmp_path / "backups"), stdout=out, stderr=io.StringIO())
    return Path(out.getvalue().strip().splitlines()[-1])


def restore(path: Path) -> None:
    call_command("restore", str(path), interactive=False, stdout=io.StringIO())


def test_upload_download_replace_backup_restore_through_the_bucket(bucket, client, users, time_machine, tmp_path,
                                                                   settings):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    applicant = users["hefei_applicant"]
    app = application_create(user=applicant, clause="2", project_name="医院影像辅助诊断大模型应用")
    app = application_save_answers(app, dict(CLAUSE2_ANSWERS), user=applicant)
    signin(client, applicant)
    url = f"/applications/{app.pk}/materials/ip_proof/upload/"

    def download(material):
        response = client.get(f"/applications/{app.pk}/materials/file/{material.pk}/")
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    assert client.post(url, {"file": upload("知识产权证明.pdf", PDF)}).status_code == 302
    first = app.materials.get(slot="ip_proof")
    assert objects() == {f"materials/{first.stored_name}": PDF}
    assert download(first) == PDF

    # Replaced: the new file is served and the old object is deleted with its row.
    assert client.post(url, {"file": upload("证明（盖章）.pdf", PNG)}).status_code == 302
    second = app.materials.get(slot="ip_proof")
    assert second.content_type == "image/png" and second.original_name == "证明（盖章）.pdf"
    assert objects() == {f"materials/{second.stored_name}": PNG}
    assert download(second) == PNG
    assert client.get(f"/applications/{app.pk}/materials/file/{first.pk}/").status_code == 404
    # A refused file never reaches the bucket.
    refused = client.post(url, {"file": upload("a.pdf", EXE)})
    assert refused.status_code == 400 and "文件内容不是可接受的类型" in refused.content.decode()
    assert objects() == {f"materials/{second.stored_name}": PNG}

    made = backup(tmp_path)
    with tarfile.open(made, "r:gz") as archive:
        members = archive.getnames()
    assert f"storage/materials/{second.stored_name}" in members
    assert not [m for m in members if m.startswith("media/")]

    # Life goes on after the backup; the restore brings back the backup's file, and only it.
    assert client.post(url, {"file": upload("第三版.pdf", PDF_V3)}).status_code == 302
    third = app.materials.get(slot="ip_proof")
    assert objects() == {f"materials/{third.stored_name}": PDF_V3}
    restore(made)
    assert objects() == {f"materials/{second.stored_name}": PNG}
    assert app.materials.get(slot="ip_proof").pk == second.pk
    signin(client, applicant)
    assert download(second) == PNG
    assert media_files(settings) == {}  # nothing was ever written under MEDIA_ROOT


def test_clerk_preview_expert_download_and_city_zip_read_the_bucket(bucket, client, users, time_machine, settings):
    from duixian.decisions.services import assignment_create, panel_create

    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    app = make_recommended(users["hefei_applicant"], users["hefei_clerk"], "医院影像辅助诊断大模型应用")
    materials = list(app.materials.order_by("slot"))
    assert len(objects("materials/")) == len(materials) > 1

    signin(client, users["hefei_clerk"])
    preview = client.get(f"/review/{app.pk}/materials/{materials[0].pk}/view/")
    assert preview.status_code == 200 and b"".join(preview.streaming_content) == PDF
    archive = client.get("/exports/city/340100/materials.zip")
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))) as opened:
        assert [opened.read(name) for name in opened.namelist()] == [PDF] * len(materials)

    expert = make_user("expert1", Role.EXPERT, full_name="王建国")
    panel = panel_create(batch_id=default_pack().batch_id, clause="2", name="第二条评比专家组",
                         members=[expert], user=users["province"])
    assignment = assignment_create(application=app, expert=expert, panel=panel, user=users["province"])
    signin(client, expert)
    response = client.get(f"/decisions/expert/assignments/{assignment.pk}/materials/{materials[0].pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF

    # A row whose object is gone answers 404, not a server error.
    default_storage.delete(f"materials/{materials[0].stored_name}")
    signin(client, users["hefei_clerk"])
    assert client.get(f"/applications/{app.pk}/materials/file/{materials[0].pk}/").status_code == 404
    assert media_files(settings) == {}


def test_a_local_disk_backup_restores_into_the_bucket(complete_draft, client, users, settings, tmp_path):
    """How a platform moves its files from the local disk into a bucket: back up, set S3_BUCKET, restore."""
    media = Path(settings.MEDIA_ROOT)
    (media / "authority").mkdir()
    (media / "authority" / "letter.pdf").write_bytes(PDF)
    (media / "objections").mkdir()
    (media / "objections" / "attachment.pdf").write_bytes(PDF)  # 公示 objection attachments move too
    (media / "compute-objections").mkdir()
    (media / "compute-objections" / "proof.png").write_bytes(PNG)  # and 算力补助 ones
    (media / "wallet").mkdir()
    (media / "wallet" / "licence.pdf").write_bytes(PDF)  # and the 单位证照库's documents
    (media / "exports").mkdir()
    (media / "exports" / "other.txt").write_bytes(b"not a stored file")  # anything else stays on disk
    names = {f"materials/{m.stored_name}" for m in complete_draft.materials.all()}
    assert names and names <= set(media_files(settings))
    made = backup(tmp_path)

    settings.STORAGES = {**settings.STORAGES, "default": IN_MEMORY}
    restore(made)
    assert objects() == {**{name: PDF for name in names}, "authority/letter.pdf": PDF,
                         "objections/attachment.pdf": PDF, "compute-objections/proof.png": PNG,
                         "wallet/licence.pdf": PDF}
    assert media_files(settings) == {"exports/other.txt": b"not a stored file"}
    signin(client, users["hefei_applicant"])
    material = complete_draft.materials.first()
    response = client.get(f"/applications/{complete_draft.pk}/materials/file/{material.pk}/")
    assert b"".join(response.streaming_content) == PDF


def test_a_bucket_backup_restores_onto_the_local_disk(bucket, complete_draft, settings, tmp_path):
    names = {f"materials/{m.stored_name}" for m in complete_draft.materials.all()}
    assert set(objects()) == names and media_files(settings) == {}
    made = backup(tmp_path)

    settings.STORAGES = bucket  # a restore drill on a machine without the bucket
    restore(made)
    assert media_files(settings) == {name: PDF for name in names}


def test_restoring_a_backup_without_objects_empties_the_bucket(bucket, users, tmp_path):
    made = backup(tmp_path)  # before any material was uploaded
    default_storage.save("materials/0123abcd", io.BytesIO(PDF))
    restore(made)
    assert objects() == {}
