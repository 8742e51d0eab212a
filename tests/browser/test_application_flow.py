"""An applicant in a real browser: 政策自测 → draft → upload a PDF → submit → status page.

Drives Debian's Chromium with Playwright against the live server; a screenshot of each page is
kept under test-artifacts/application-flow/.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, reverse

from duixian.applications import policy_bridge
from duixian.applications.models import Application, ApplicationState
from tests.conftest import ARTIFACTS as SHARED_ARTIFACTS, PASSWORD, new_page

from tests.applications.conftest import PDF, at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = SHARED_ARTIFACTS / "application-flow"


@pytest.fixture
def browser_page(browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return new_page(browser, viewport={"width": 1280, "height": 900})


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def settle(page):
    page.wait_for_load_state("networkidle")


def save_section(page):
    # Blur first and let the autosave finish, so the click does not race it (the in-memory
    # test database has no busy timeout, unlike the file database the platform runs on).
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(200)
    settle(page)
    page.click("text=保存并返回任务清单")
    page.wait_for_url("**/tasks/")


def test_applicant_walks_from_self_check_to_status(live_server, browser_page, users, time_machine, tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=True)
    page, base = browser_page, live_server.url
    applicant = users["hefei_applicant"]
    applicant.set_password(PASSWORD)
    applicant.save()

    # 1. 政策自测 (the policy engineer's page), when it is mounted.
    try:
        check_url = reverse("policy:check", args=[2])
    except NoReverseMatch:
        check_url = None
    if check_url:
        page.goto(base + check_url)
        settle(page)
        shot(page, "1-self-check")

    # 2. Sign in and start a draft.
    page.goto(base + "/accounts/login/?next=/applications/new/")
    page.fill("#id_username", applicant.username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action$='/accounts/login/'] button[type=submit]")  # not the header's 适老化 switch
    page.wait_for_url(lambda url: urlsplit(url).path == "/applications/new/")  # not the login page's ?next=
    page.check('input[name="choice"][value="2"]')
    page.fill("#id_project_name", "医院影像辅助诊断大模型应用")
    shot(page, "2-new")
    page.click("text=创建申报草稿")
    page.wait_for_url("**/tasks/")
    shot(page, "3-task-list")
    pk = int(page.url.rstrip("/").split("/")[-2])

    # 3. Project section (autosaves on change; the button saves without JavaScript too).
    page.goto(base + f"/applications/{pk}/section/project/")
    page.check('input[name="project__in_anhui"][value="true"]')
    settle(page)
    page.fill("#id_project__occurred_on", "2025-12-01")
    page.fill("#id_contact_name", "张晓明")
    page.fill("#id_contact_phone", "13155113928")
    save_section(page)

    # 4. The scene: answering "no own supply capability" brings up the purchase question.
    page.goto(base + f"/applications/{pk}/section/scene/")
    for name in ("scene__owner_is_applicant", "scene__in_anhui"):
        page.check(f'input[name="{name}"][value="true"]')
        settle(page)
    page.select_option("#id_scene__status", "in_use")
    settle(page)
    page.check('input[name="scene__own_supply_capability"][value="false"]')
    settle(page)
    page.wait_for_selector('input[name="scene__purchased_solution"]')
    page.check('input[name="scene__purchased_solution"][value="true"]')
    settle(page)
    page.fill("#id_scene__development_investment_wan", "120")
    page.press("#id_scene__development_investment_wan", "Tab")
    settle(page)
    page.wait_for_selector("#verdict-panel >> text=24.00 万元")
    shot(page, "4-section-with-live-verdict")
    save_section(page)

    # The amount, now that the cap is known.
    page.goto(base + f"/applications/{pk}/section/project/")
    page.fill("#id_amount_requested_wan", "24")
    save_section(page)

    # 5. Upload a PDF for every material slot.
    pdf = tmp_path / "材料.pdf"
    pdf.write_bytes(PDF)
    for slot in policy_bridge.material_slots("2"):
        page.goto(base + f"/applications/{pk}/materials/")
        page.set_input_files(f"#file-{slot.id}", str(pdf))
        page.click(f"#slot-{slot.id} button[type=submit]")
        page.wait_for_selector(f"#slot-{slot.id} >> text=已上传")
    shot(page, "5-materials")

    # 6. 确认信息 → submit → confirmation with the reference number.
    page.goto(base + f"/applications/{pk}/check/")
    shot(page, "6-check-answers")
    page.check("#id_declaration")
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/confirmation/")
    app = Application.objects.get(pk=pk)
    assert app.state == ApplicationState.SUBMITTED
    assert page.locator(".reference").inner_text() == app.reference
    shot(page, "7-confirmation")

    # 7. The status page shows the history.
    page.click("text=查看申报状态")
    page.wait_for_url("**/status/")
    assert "已提交，待市级审核" in page.inner_text("#app-state")
    assert page.locator("text=提交申报").count() >= 1
    shot(page, "8-status")
