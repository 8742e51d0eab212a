"""The review page's files, written by review.materials_html, are the bytes the template's loop
writes (issue 22), in Chinese and English: PDF and DOCX framed, an image shown, a workbook not
previewable, files from the wallet (valid, then expired; long-term) and names with HTML."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duixian.applications import policy_bridge
from duixian.applications.materials import material_store
from duixian.applications.services import application_submit
from duixian.review import materials_html, views
from duixian.wallet.services import wallet_attach, wallet_document_add
from tests.applications.conftest import PDF, ooxml

from .conftest import at, signin

pytestmark = pytest.mark.django_db

HOSTILE = "<script>\"'&"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def _licence(user, valid_until):
    return wallet_document_add(user.organisation, doc_type="business_licence", title=f"营业执照{HOSTILE}",
                               issuer=f"合肥{HOSTILE}局", issued_on=date(2021, 3, 1), valid_until=valid_until,
                               upload=SimpleUploadedFile("营业执照.pdf", PDF.replace(b"Catalog", b"Catalog /L")),
                               user=user)


def _app(user, project, valid_until, time_machine):
    from duixian.applications.services import application_create, application_save_answers
    from tests.applications.conftest import CLAUSE2_ANSWERS, fill_materials

    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    app = application_create(user=user, clause="2", project_name=project)
    app = application_save_answers(app, dict(CLAUSE2_ANSWERS), user=user)
    fill_materials(app, user)
    slots = [s.id for s in policy_bridge.material_slots(app.clause, app.application_type)]
    others = [s for s in slots if s != "business_licence"]
    material_store(app, others[0], SimpleUploadedFile(f"方案{HOSTILE}.docx", ooxml("docx")), user=user)
    material_store(app, others[1], SimpleUploadedFile("照片.png", PNG), user=user)
    material_store(app, others[2], SimpleUploadedFile("明细.xlsx", ooxml("xlsx")), user=user)
    wallet_attach(app, "business_licence", _licence(user, valid_until), user=user)
    return application_submit(app, user=user, token=f"tok-{project}", declaration=True)


@pytest.fixture
def written(monkeypatch):
    calls = []
    real = materials_html.materials_body

    def spy(app, materials, previewable):
        calls.append(real(app, materials, previewable))
        return calls[-1]

    monkeypatch.setattr(views, "materials_body", spy)
    return calls


def _both_ways(client, monkeypatch, path):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    fast = response.content.decode()
    with monkeypatch.context() as m:
        m.setattr(views, "materials_body", lambda app, materials, previewable: None)
        slow = client.get(path).content.decode()
    mask = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # noqa: E731
    return mask(fast), mask(slow)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_written_files_are_the_templates(client, settings, users, time_machine, monkeypatch, written, language):
    applicant = users["hefei_applicant"]
    expiring = _app(applicant, "到期的证照", date(2026, 4, 25), time_machine)
    lasting = _app(applicant, "长期有效的证照", None, time_machine)
    for when in ("2026-04-22 10:00:00", "2026-04-28 10:00:00"):  # the licence valid, then expired
        time_machine.move_to(at(when), tick=False)
        signin(client, users["hefei_clerk"])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for app in (expiring, lasting):
            fast, slow = _both_ways(client, monkeypatch, f"/review/{app.pk}/")
            assert written[-1] and fast == slow
            body = written[-1]
            assert "<iframe" in body and "<img" in body and 'class="muted">' in body  # each kind of file
            assert "&lt;script&gt;&quot;&#x27;&amp;" in body and HOSTILE not in body
    expired = "已过期" if language == "zh-hans" else "Expired"
    assert expired in written[-2] and expired not in written[-4] and expired not in written[-1]  # the 28th
    assert "营业执照&lt;script&gt;" in written[-1]  # the wallet's document named
