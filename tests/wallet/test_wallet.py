"""单位证照库: a document uploaded once, reused in two applications; versions, expiry, provenance."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duixian.applications.models import Material
from duixian.applications.services import application_create, application_save_answers, application_submit
from duixian.audit.models import AuditEvent
from duixian.orgs.models import OrgRole
from duixian.wallet.models import WalletDocument
from duixian.wallet.services import WalletRefused, wallet_attach, wallet_document_add
from tests.applications.conftest import CLAUSE2_ANSWERS, EXE, PDF, at, fill_materials

LICENCE = PDF.replace(b"Catalog", b"Catalog /Licence")


@pytest.fixture
def moment(time_machine):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)


def _add(user, *, valid_until=None, replaces=None, content=LICENCE, title="营业执照（副本）"):
    return wallet_document_add(user.organisation, doc_type="business_licence", title=title,
                               issuer="合肥市市场监督管理局", issued_on=date(2021, 3, 1), valid_until=valid_until,
                               upload=SimpleUploadedFile("营业执照.pdf", content), user=user, replaces=replaces)


def _draft(user, name):
    app = application_create(user=user, clause="2", project_name=name)
    app = application_save_answers(app, dict(CLAUSE2_ANSWERS), user=user)
    fill_materials(app, user)
    return app


def test_the_applicant_stores_a_document_through_the_page(users, client, moment):
    client.force_login(users["hefei_applicant"])
    response = client.post(reverse("wallet:list"), {
        "doc_type": "credit_report", "title": "2026年度信用报告", "issuer": "信用中国（安徽）",
        "valid_until": "2026-12-31", "file": SimpleUploadedFile("信用报告.pdf", PDF)})
    assert response.status_code == 302
    document = WalletDocument.objects.get()
    assert (document.organisation, document.version, document.valid_until) == (
        users["hefei_applicant"].organisation, 1, date(2026, 12, 31))
    assert AuditEvent.objects.filter(action="wallet.document_add", object_id=str(document.pk)).exists()
    page = client.get(reverse("wallet:list")).content.decode()
    assert "2026年度信用报告" in page and "信用中国（安徽）" in page


def test_every_wallet_upload_passes_the_materials_check(users, client, moment):
    client.force_login(users["hefei_applicant"])
    response = client.post(reverse("wallet:list"), {
        "doc_type": "other", "title": "程序", "issuer": "无", "file": SimpleUploadedFile("说明.pdf", EXE)})
    assert response.status_code == 400 and "文件内容不是可接受的类型" in response.content.decode()
    assert not WalletDocument.objects.exists()


def test_one_document_serves_two_applications_and_each_snapshot_names_its_version(users, moment):
    applicant = users["hefei_applicant"]
    licence = _add(applicant)
    first, second = _draft(applicant, "医院影像辅助诊断大模型应用"), _draft(applicant, "智慧工厂质检大模型应用")
    for app in (first, second):
        material = wallet_attach(app, "business_licence", licence, user=applicant)
        assert material.sha256 == licence.sha256 and material.wallet_document == licence
    first = application_submit(first, user=applicant, token="tok-w1", declaration=True)
    entry = next(m for m in first.submissions.get().materials if m["slot"] == "business_licence")
    assert entry["wallet_document_id"] == licence.pk
    assert AuditEvent.objects.filter(action="wallet.attach").count() == 2

    renewed = _add(applicant, replaces=licence, content=PDF.replace(b"Catalog", b"Catalog /Renewed"))
    licence.refresh_from_db()
    assert (renewed.version, renewed.replaces, licence.retired_at is not None) == (2, licence, True)
    wallet_attach(second, "business_licence", renewed, user=applicant)
    second = application_submit(second, user=applicant, token="tok-w2", declaration=True)
    entry = next(m for m in second.submissions.get().materials if m["slot"] == "business_licence")
    assert entry["wallet_document_id"] == renewed.pk
    first_entry = next(m for m in first.submissions.get().materials if m["slot"] == "business_licence")
    assert first_entry["wallet_document_id"] == licence.pk  # the first application's snapshot still names version 1
    with pytest.raises(WalletRefused):
        wallet_attach(_draft(applicant, "第三个项目"), "business_licence", licence, user=applicant)  # retired


def test_an_expired_document_is_flagged_before_submission(users, client, moment):
    applicant = users["hefei_applicant"]
    app = _draft(applicant, "医院影像辅助诊断大模型应用")
    wallet_attach(app, "credit_report", _add(applicant, valid_until=date(2026, 3, 31), title="2025年度信用报告"),
                  user=applicant)
    client.force_login(applicant)
    check = client.get(reverse("applications:check", kwargs={"pk": app.pk})).content.decode()
    assert 'id="wallet-expired"' in check and "2025年度信用报告（第1版）有效期至2026年3月31日" in check
    materials = client.get(reverse("applications:materials", kwargs={"pk": app.pk})).content.decode()
    assert "已过期" in materials.split('id="slot-credit_report"')[1].split('id="slot-')[0]


def test_the_clerk_sees_where_each_file_came_from(users, client, moment):
    applicant = users["hefei_applicant"]
    app = _draft(applicant, "医院影像辅助诊断大模型应用")
    wallet_attach(app, "business_licence", _add(applicant, valid_until=date(2031, 2, 28)), user=applicant)
    application_submit(app, user=applicant, token="tok-w", declaration=True)
    client.force_login(users["hefei_clerk"])
    page = client.get(reverse("review:detail", kwargs={"pk": app.pk})).content.decode()
    assert "来自单位证照库：营业执照（副本）（第1版，合肥市市场监督管理局），有效期至2031年2月28日" in page
    assert "申报时直接上传" in page  # the other slots


def test_another_organisation_can_neither_see_nor_use_the_wallet(users, client, moment):
    licence = _add(users["hefei_applicant"])
    wuhu = users["wuhu_applicant"]
    wuhu_app = _draft(wuhu, "港口调度大模型应用")
    with pytest.raises(WalletRefused):
        wallet_attach(wuhu_app, "business_licence", licence, user=wuhu)
    client.force_login(wuhu)
    assert client.get(reverse("wallet:download", kwargs={"pk": licence.pk})).status_code == 404
    client.post(reverse("wallet:attach", kwargs={"pk": wuhu_app.pk, "slot": "business_licence"}),
                {"document": licence.pk})
    assert not Material.objects.filter(application=wuhu_app, wallet_document__isnull=False).exists()
    assert f"document-{licence.pk}" not in client.get(reverse("wallet:list")).content.decode()


def test_a_viewer_sees_the_wallet_but_cannot_add(users, client, moment):
    from duixian.orgs.models import OrgMembership

    viewer = users["hefei_applicant"]
    OrgMembership.objects.update_or_create(user=viewer, defaults={"organisation": viewer.organisation,
                                                                  "role": OrgRole.VIEWER})
    with pytest.raises(WalletRefused, match="查看人"):
        _add(viewer)
    client.force_login(viewer)
    assert client.get(reverse("wallet:list")).status_code == 200


def test_the_applicants_dashboard_links_to_the_wallet_and_the_reading_help(users, client, moment):
    client.force_login(users["hefei_applicant"])
    page = client.get(reverse("core:dashboard")).content.decode()
    assert f'href="{reverse("wallet:list")}"' in page and f'href="{reverse("guidance:index")}"' in page
    client.force_login(users["hefei_clerk"])
    assert f'href="{reverse("wallet:list")}"' not in client.get(reverse("core:dashboard")).content.decode()
