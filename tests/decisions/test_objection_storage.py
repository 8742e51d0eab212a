"""公示 objection attachments in object storage (S3_BUCKET set): written, served, backed up and
restored through Django's storage API, never under MEDIA_ROOT.

Django's InMemoryStorage stands in for the bucket (see tests/applications/test_object_storage.py):
it has no file-system path, so code that still wrote or read MEDIA_ROOT/objections/ would show.
"""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from duixian.decisions.models import Objection, ObjectionAttachment
from tests.applications.conftest import EXE, PDF, at, signin
from tests.applications.test_object_storage import PNG, backup, bucket, media_files, objects, restore  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def _object(published, *files, body="该项目场景尚未投入使用。"):
    item = published.items.first()
    return Client().post(f"/public/gongshi/{published.pk}/objection/", {
        "item": str(item.pk), "name": "赵敏", "phone": "13155113928", "body": body,
        "files": [SimpleUploadedFile(name, content, content_type="application/octet-stream")
                  for name, content in files],
    })


def test_objection_attachments_upload_download_backup_restore_through_the_bucket(
        bucket, published, client, users, time_machine, tmp_path, settings):
    time_machine.move_to(at("2026-06-19 10:00:00"), tick=False)
    assert _object(published, ("证明.pdf", PDF), ("现场照片.png", PNG)).status_code == 302
    pdf, png = ObjectionAttachment.objects.order_by("pk")
    assert objects("objections/") == {f"objections/{pdf.stored_name}": PDF, f"objections/{png.stored_name}": PNG}
    assert pdf.stored_name.endswith(".pdf") and len(pdf.stored_name) == 36  # random, not the sent name
    url = f"/decisions/objections/attachments/{pdf.pk}/"

    # A refused second file stores neither file nor row.
    refused = _object(published, ("说明.pdf", PDF), ("病毒.pdf", EXE))
    assert refused.status_code == 200 and "不是 PDF、JPG 或 PNG 文件" in refused.content.decode()
    assert Objection.objects.count() == 1 and len(objects("objections/")) == 2

    signin(client, users["province"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    # The organisation the objection is about, and a city clerk, may not read it.
    for other in ("hefei_applicant", "hefei_clerk"):
        signin(client, users[other])
        assert client.get(url).status_code == 404, other

    made = backup(tmp_path)
    # Life goes on after the backup; the restore brings back the backup's files, and only them.
    assert _object(published, ("补充.pdf", PDF + b"% later\n")).status_code == 302
    assert len(objects("objections/")) == 3
    restore(made)
    assert objects("objections/") == {f"objections/{pdf.stored_name}": PDF, f"objections/{png.stored_name}": PNG}
    assert ObjectionAttachment.objects.count() == 2
    signin(client, users["province"])
    assert b"".join(client.get(f"/decisions/objections/attachments/{png.pk}/").streaming_content) == PNG
    assert media_files(settings) == {}  # nothing was ever written under MEDIA_ROOT
    assert len(objects("materials/")) > 1  # the materials of the objected projects are in the bucket too


def test_a_failed_row_leaves_no_orphan_in_the_bucket(bucket, published, time_machine, monkeypatch):
    time_machine.move_to(at("2026-06-19 10:00:00"), tick=False)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ObjectionAttachment.objects, "create", broken)
    with pytest.raises(RuntimeError):
        _object(published, ("证明.pdf", PDF))
    assert Objection.objects.count() == 0 and objects("objections/") == {}


def test_an_attachment_whose_object_is_gone_answers_404(bucket, published, client, users, time_machine):
    time_machine.move_to(at("2026-06-19 10:00:00"), tick=False)
    assert _object(published, ("证明.pdf", PDF)).status_code == 302
    attachment = ObjectionAttachment.objects.get()
    default_storage.delete(f"objections/{attachment.stored_name}")
    signin(client, users["province"])
    assert client.get(f"/decisions/objections/attachments/{attachment.pk}/").status_code == 404


def test_rows_of_the_disk_era_keep_working(published, client, users, time_machine, settings, tmp_path):
    """An attachment stored before (MEDIA_ROOT/objections/<name>) is served and backed up unchanged,
    and a restore into a bucket carries it along."""
    time_machine.move_to(at("2026-06-19 10:00:00"), tick=False)
    assert _object(published, ("证明.pdf", PDF)).status_code == 302
    attachment = ObjectionAttachment.objects.get()
    assert {k: v for k, v in media_files(settings).items() if not k.startswith("materials/")} == {
        f"objections/{attachment.stored_name}": PDF}
    assert Path(settings.MEDIA_ROOT, "objections", attachment.stored_name).read_bytes() == PDF
    signin(client, users["province"])
    url = f"/decisions/objections/attachments/{attachment.pk}/"
    assert b"".join(client.get(url).streaming_content) == PDF

    made = backup(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    restore(made)
    assert objects("objections/") == {f"objections/{attachment.stored_name}": PDF}
    signin(client, users["province"])
    assert b"".join(client.get(url).streaming_content) == PDF
