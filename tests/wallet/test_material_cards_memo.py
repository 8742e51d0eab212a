"""材料's cards keep, per process, their links and the 单位证照库 part a card shows when nothing of
the wallet applies to it (duixian/wallet/templatetags/material_cards.py, issue 22). What the
applicant changes shows at once: a document stored, another language, a viewer's page."""

from __future__ import annotations

from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

from duixian.applications.services import application_create
from duixian.orgs.models import OrgMembership, OrgRole
from tests.wallet.test_wallet import _add, moment  # noqa: F401  (the fixture)

PICKER = 'class="wallet-choice"'


def _slot_part(language: str, can_edit: bool) -> str:
    """The 单位证照库 part of a card without a document or a picker, as the template writes it."""
    with translation.override(language):
        return get_template("wallet/_slot.html").render({"document": None, "documents": [], "can_edit": can_edit})


def _materials(client, app, language="zh-hans") -> str:
    client.cookies["django_language"] = language
    response = client.get(reverse("applications:materials", kwargs={"pk": app.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_wallet_part_follows_the_language_the_documents_and_the_role(users, client, moment):  # noqa: F811
    applicant = users["hefei_applicant"]
    app = application_create(user=applicant, clause="2", project_name="医院影像辅助诊断大模型应用")
    client.force_login(applicant)
    zh, en = _slot_part("zh-hans", True), _slot_part("en", True)
    assert zh != en and zh.strip()

    page = _materials(client, app)
    assert page.count(zh) == page.count('<div class="card" id="slot-') > 1 and PICKER not in page
    assert _materials(client, app).count(zh) == page.count(zh)  # and again, from what was kept
    english = _materials(client, app, "en")
    assert english.count(en) == english.count('<div class="card" id="slot-') and zh not in english
    required = '<span class="tag warn">必须</span></h3>'  # a card's heading, kept per language too
    assert required in page and required not in english and "</span></h3>" in english

    _add(applicant, title="营业执照（副本）")  # a document to choose from: every card's picker, at once
    page = _materials(client, app)
    assert page.count(PICKER) == page.count('<div class="card" id="slot-') and zh not in page
    assert "营业执照（副本）（第1版）" in page

    OrgMembership.objects.update_or_create(user=applicant, defaults={"organisation": applicant.organisation,
                                                                     "role": OrgRole.VIEWER})
    viewer = _materials(client, app)
    assert PICKER not in viewer and zh not in viewer and '<form method="post" enctype' not in viewer


def test_an_expired_document_shows_at_once_after_pages_with_none(users, client, moment):  # noqa: F811
    from datetime import date

    from duixian.wallet.services import wallet_attach

    applicant = users["hefei_applicant"]
    app = application_create(user=applicant, clause="2", project_name="医院影像辅助诊断大模型应用")
    client.force_login(applicant)
    check = reverse("applications:check", kwargs={"pk": app.pk})
    for language in ("zh-hans", "en"):  # nothing expired: the kept rendering
        client.cookies["django_language"] = language
        assert 'id="wallet-expired"' not in client.get(check).content.decode()
        assert 'id="wallet-expired"' not in _materials(client, app, language)
    wallet_attach(app, "credit_report", _add(applicant, valid_until=date(2026, 3, 31), title="2025年度信用报告"),
                  user=applicant)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(check).content.decode()
    assert 'id="wallet-expired"' in page and "2025年度信用报告（第1版）有效期至2026年3月31日" in page
    assert 'id="wallet-expired"' in _materials(client, app)
