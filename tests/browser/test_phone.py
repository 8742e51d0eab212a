"""The applicant's journey on a phone, 375 px wide (issue 20): register, fill, upload, submit, status.

Every page of the journey must fit the width (no sideways scrolling of the page; a wide table
scrolls inside its own box) and keep its buttons on screen. Screenshots of each step are kept
under test-artifacts/phone/.
"""

import pytest

from duixian.authz.roles import Role
from duixian.applications import policy_bridge
from duixian.applications.models import Application, ApplicationState
from duixian.applications.services import application_save_answers
from duixian.orgs.models import Organisation
from duixian.orgs.services import organisation_confirm
from tests.applications.conftest import CLAUSE2_ANSWERS, PDF, at
from tests.browser.registration import fill_registration
from tests.browser.test_care_mode import OVERFLOW
from tests.conftest import ARTIFACTS as SHARED_ARTIFACTS, make_user
from tests.orgs.test_registration import PASSWORD, tiny_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = SHARED_ARTIFACTS / "phone"
PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}


def fits(page, name: str) -> None:
    """The page fits 375 px; a screenshot of it is kept."""
    page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert page.evaluate(OVERFLOW) == [], name


def test_applicant_journey_at_375_px(live_server, browser, time_machine, tmp_path):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=True)
    clerk = make_user("hefei_clerk", Role.CITY_CLERK, city_code="340100")
    base = live_server.url
    page = browser.new_context(**PHONE).new_page()
    page.set_default_timeout(15000)

    # 1. Register the organisation and the 经办人, then upload the 授权书.
    page.goto(base + "/orgs/register/")
    fits(page, "1-register")
    fill_registration(page, name="合肥新锐智能科技有限公司", username="xinrui_jbr", password=PASSWORD)
    page.check("#id_consent")
    page.tap("button[type=submit]:has-text('同意并注册')")
    page.wait_for_url("**/orgs/mine/")
    page.set_input_files("#id_file", files=[{"name": "授权书.pdf", "mimeType": "application/pdf",
                                              "buffer": tiny_pdf("Letter of authority")}])
    page.tap("button:has-text('上传授权书')")
    page.wait_for_selector("iframe.letter-preview")
    fits(page, "2-letter-uploaded")
    organisation_confirm(Organisation.objects.get(), user=clerk)  # the clerk's part, on a desktop

    # 2. A new application.
    page.goto(base + "/applications/new/")
    fits(page, "3-new")
    page.check('input[name="choice"][value="2"]')
    page.fill("#id_project_name", "医院影像辅助诊断大模型应用")
    page.tap("text=创建申报草稿")
    page.wait_for_url("**/tasks/")
    fits(page, "4-tasks")
    app = Application.objects.get()
    # The other answers as a desktop session would have saved them; the phone types the contact.
    answers = {k: v for k, v in CLAUSE2_ANSWERS.items() if k not in ("contact_name", "contact_phone")}
    application_save_answers(app, answers, user=app.created_by)

    # 3. The project section: the contact person, typed on the phone.
    page.goto(base + f"/applications/{app.pk}/section/project/")
    page.fill("#id_contact_name", "刘敏")
    page.fill("#id_contact_phone", "13155113928")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    fits(page, "5-section-project")
    page.tap("text=保存并返回任务清单")
    page.wait_for_url("**/tasks/")
    page.goto(base + f"/applications/{app.pk}/section/scene/")
    fits(page, "6-section-scene")

    # 4. Upload every material.
    pdf = tmp_path / "材料.pdf"
    pdf.write_bytes(PDF)
    for slot in policy_bridge.material_slots("2"):
        page.goto(base + f"/applications/{app.pk}/materials/")
        page.set_input_files(f"#file-{slot.id}", str(pdf))
        page.tap(f"#slot-{slot.id} button[type=submit]")
        page.wait_for_selector(f"#slot-{slot.id} >> text=已上传")
    fits(page, "7-materials")

    # 5. Check and submit, then the status page.
    page.goto(base + f"/applications/{app.pk}/check/")
    fits(page, "8-check")
    page.check("#id_declaration")
    page.tap("form.card button[type=submit]")
    page.wait_for_url("**/confirmation/")
    fits(page, "9-confirmation")
    assert Application.objects.get(pk=app.pk).state == ApplicationState.SUBMITTED
    page.goto(base + f"/applications/{app.pk}/status/")
    assert "已提交，待市级审核" in page.inner_text("#app-state")
    fits(page, "10-status")
    page.goto(base + "/applications/")
    fits(page, "11-my-applications")
