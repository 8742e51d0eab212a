"""The last minutes, queued (SUBMISSIONS_QUEUED on, as in production), in a real browser: the
press is taken at 23:58, the page says 正在核验 with the receipt time, and once a worker has
checked the press the page shows the reference number by itself, with no reload by the user.

Drives Debian's Chromium with Playwright against the live server; screenshots are kept under
test-artifacts/queued-submission/.
"""

import pytest

from duixian.applications.models import Application, ApplicationState
from duixian.applications.receipts import receipts_check_pending
from duixian.applications.services import application_create, application_save_answers
from tests.applications.conftest import CLAUSE2_ANSWERS, at, fill_materials
from tests.conftest import ARTIFACTS as SHARED_ARTIFACTS, PASSWORD, browser_sign_in as sign_in, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = SHARED_ARTIFACTS / "queued-submission"


def test_the_pending_page_turns_into_the_confirmation_by_itself(live_server, browser, users, time_machine, settings):
    settings.SUBMISSIONS_QUEUED = True
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    applicant = users["hefei_applicant"]
    applicant.set_password(PASSWORD)
    applicant.save()
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    app = application_create(user=applicant, clause="2", project_name="医院影像辅助诊断大模型应用")
    application_save_answers(app, dict(CLAUSE2_ANSWERS), user=applicant)
    fill_materials(app, applicant)
    time_machine.move_to(at("2026-05-05 23:58:00"), tick=True)

    page, base = new_page(browser), live_server.url
    sign_in(page, base, applicant)
    page.goto(base + f"/applications/{app.pk}/check/")
    page.check("#id_declaration")
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/confirmation/")
    assert "已收到您的提交，正在核验" in page.content() and "受理时间：2026年5月5日 23:58:0" in page.content()
    page.screenshot(path=str(ARTIFACTS / "1-pending.png"), full_page=True)
    assert Application.objects.get(pk=app.pk).state == ApplicationState.DRAFT  # no worker yet

    assert receipts_check_pending() == 1  # a worker checks it
    page.wait_for_selector(".reference", timeout=20000)  # the page's next poll reloads it
    assert page.locator(".reference").inner_text() == Application.objects.get(pk=app.pk).reference
    page.screenshot(path=str(ARTIFACTS / "2-confirmed.png"), full_page=True)
