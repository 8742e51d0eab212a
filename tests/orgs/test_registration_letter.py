"""The 授权书: upload checks, storage outside the web root, who may open it, and submission gating."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duixian.audit.models import AuditEvent
from duixian.orgs.models import AuthorityLetter, OrgStatus
from duixian.orgs.permissions import organisation_can_submit
from tests.orgs.test_registration import _fast_hashing, register, tiny_pdf, tiny_png  # noqa: F401


@pytest.fixture
def registered(client, db):
    register(client)
    from duixian.orgs.models import Organisation

    return Organisation.objects.get()


def upload(client, content: bytes, name: str = "授权书.pdf"):
    return client.post(reverse("orgs:letter_upload"), {"file": SimpleUploadedFile(name, content)})


def test_pdf_upload_is_stored_under_a_random_name_and_waits_for_the_clerk(client, registered, settings):
    response = upload(client, tiny_pdf())
    assert response.status_code == 302
    letter = AuthorityLetter.objects.get()
    assert letter.content_type == "application/pdf" and letter.original_name == "授权书.pdf"
    stored = Path(settings.MEDIA_ROOT) / letter.file.name
    assert stored.read_bytes() == tiny_pdf()
    assert "授权书" not in letter.file.name and letter.file.name.startswith("authority/")
    allowed, reason = organisation_can_submit(registered)
    assert not allowed and "正等待合肥市科技局确认" in reason
    page = client.get(reverse("orgs:mine")).content.decode()
    assert "正等待合肥市科技局确认" in page and "<iframe" in page
    assert AuditEvent.objects.filter(action="org.authority_letter.upload").exists()


def test_png_is_accepted_and_shown_as_an_image(client, registered):
    upload(client, tiny_png(), "seal.png")
    assert AuthorityLetter.objects.get().content_type == "image/png"
    page = client.get(reverse("orgs:mine")).content.decode()
    assert '<img class="letter-preview"' in page


def test_a_file_that_only_pretends_to_be_a_pdf_is_refused(client, registered):
    response = upload(client, b"just some text, not a PDF at all", "letter.pdf")
    assert response.status_code == 400
    text = response.content.decode()
    assert "授权书须为 PDF、JPG 或 PNG 文件" in text and 'href="#id_file"' in text
    assert not AuthorityLetter.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, registered, settings):
    settings.MAX_UPLOAD_MB = 1
    response = upload(client, tiny_pdf() + b"0" * (1024 * 1024 + 1))
    assert "不能超过 1 MB" in response.content.decode()
    assert not AuthorityLetter.objects.exists()


def test_the_letter_is_served_inline_only_to_those_who_may_see_it(client, registered, users, login):
    upload(client, tiny_pdf())
    letter = AuthorityLetter.objects.get()
    url = reverse("orgs:letter_file", args=[letter.pk])
    own = client.get(url)
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert own["Content-Disposition"].startswith("inline")
    assert own["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(own.streaming_content) == tiny_pdf()
    for name in ("hefei_applicant", "wuhu_clerk", "expert"):
        login(client, users[name])
        assert client.get(url).status_code == 404, name
    for name in ("hefei_clerk", "province"):
        login(client, users[name])
        assert client.get(url).status_code == 200, name
    assert AuditEvent.objects.filter(action="org.authority_letter.view").count() == 3


def test_other_pages_keep_deny_framing(client, registered):
    page = client.get(reverse("orgs:mine"))
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.get("Content-Security-Policy", "frame-ancestors 'none'")


def test_only_the_letter_may_be_framed_and_only_by_our_own_pages(client, registered):
    upload(client, tiny_pdf())
    letter = AuthorityLetter.objects.get()
    policy = client.get(reverse("orgs:letter_file", args=[letter.pk])).get("Content-Security-Policy")
    if policy is None:
        pytest.skip("django-csp is not active")
    assert "frame-ancestors 'self'" in policy and "'none'" not in policy.split("frame-ancestors")[1].split(";")[0]
    review = client.get(reverse("orgs:review", args=[registered.pk]))["Content-Security-Policy"]
    assert "frame-src 'self'" in review


def test_no_one_can_fetch_a_letter_anonymously(client, registered):
    upload(client, tiny_pdf())
    letter = AuthorityLetter.objects.get()
    client.logout()
    response = client.get(reverse("orgs:letter_file", args=[letter.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_only_the_manager_uploads(client, registered, users, login):
    login(client, users["hefei_clerk"])
    assert client.post(reverse("orgs:letter_upload"), {}).status_code == 404


def test_a_confirmed_organisation_can_submit(registered):
    registered.status = OrgStatus.CONFIRMED
    registered.save()
    assert organisation_can_submit(registered) == (True, "")


def test_with_object_storage_the_letter_goes_to_the_bucket_and_is_served_from_it(client, registered, settings):
    from django.core.files.storage import default_storage

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    assert upload(client, b"not a letter", "letter.pdf").status_code == 400
    assert not default_storage.exists("authority")  # a refused file never reaches the bucket
    assert upload(client, tiny_pdf()).status_code == 302
    letter = AuthorityLetter.objects.get()
    with default_storage.open(letter.file.name, "rb") as stored:
        assert stored.read() == tiny_pdf()
    served = client.get(reverse("orgs:letter_file", args=[letter.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == tiny_pdf()
    media = Path(settings.MEDIA_ROOT)
    assert not [p for p in media.rglob("*") if p.is_file()]
