"""An organisation stores its 营业执照 in the 单位证照库 once and uses it in two applications (issue 19
item 2); the city clerk then sees where the file came from.

Drives Debian's Chromium with Playwright against the live server; screenshots are kept under
test-artifacts/wallet/.
"""

import pytest

from duixian.applications.models import Material
from duixian.applications.services import application_create, application_save_answers
from tests.applications.conftest import CLAUSE2_ANSWERS, PDF, at
from tests.conftest import ARTIFACTS as SHARED_ARTIFACTS, PASSWORD, browser_sign_in, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = SHARED_ARTIFACTS / "wallet"


def test_one_licence_in_the_wallet_serves_two_applications(live_server, browser, users, time_machine, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    applicant = users["hefei_applicant"]
    applicant.set_password(PASSWORD)
    applicant.save()
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=True)
    drafts = [application_save_answers(application_create(user=applicant, clause="2", project_name=name),
                                       dict(CLAUSE2_ANSWERS), user=applicant)
              for name in ("医院影像辅助诊断大模型应用", "智慧工厂质检大模型应用")]
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(PDF)

    page, base = new_page(browser), live_server.url
    browser_sign_in(page, base, applicant)
    page.goto(base + "/wallet/")
    page.select_option("#id_doc_type", "business_licence")
    page.fill("#id_title", "营业执照（副本）")
    page.fill("#id_issuer", "合肥市市场监督管理局")
    page.fill("#id_valid_until", "2031-02-28")
    page.set_input_files("#id_file", str(licence))
    page.click("#wallet-add button[type=submit]")
    page.wait_for_selector("#wallet-documents >> text=营业执照（副本）")
    page.screenshot(path=str(ARTIFACTS / "1-wallet.png"), full_page=True)

    for app in drafts:
        page.goto(base + f"/applications/{app.pk}/materials/")
        slot = page.locator("#slot-business_licence")
        slot.locator("select[name=document]").select_option(label="营业执照或法人登记证书：营业执照（副本）（第1版，有效期至2031年2月28日）")
        slot.locator(".wallet-choice button[type=submit]").click()
        page.wait_for_selector("#slot-business_licence .wallet-origin")
        assert "来自单位证照库：营业执照（副本）（第1版，合肥市市场监督管理局）" in page.locator(
            "#slot-business_licence").inner_text()
    page.screenshot(path=str(ARTIFACTS / "2-slot.png"), full_page=True)
    copies = Material.objects.filter(slot="business_licence", application__in=drafts)
    assert copies.count() == 2 and len({m.wallet_document_id for m in copies}) == 1
