"""政策找企业 in a real Chromium (issue 19 item 1): a new organisation registers and, before filling any
form, sees on its dashboard how each clause of the open batch matches it; when the province
opens a second batch, it is told (in-app) and the new batch's clauses join its matches.

The second batch is the made-up 2027 notice, loaded with the service the province's page uses
(policy.services.pack_version_load); the platform clock is moved into its window with
time-machine and the housekeeping step runs as a worker would. Screenshots under
test-artifacts/matching/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from duixian.accounts.models import User
from duixian.authz.roles import Role
from duixian.matching.push import batch_openings_send_due
from duixian.policy.services import pack_version_load
from tests.applications.conftest import at
from tests.conftest import ARTIFACTS as SHARED_ARTIFACTS, browser_sign_in, make_user, new_page
from tests.browser.registration import fill_registration
from tests.orgs.test_registration import PASSWORD as APPLICANT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = SHARED_ARTIFACTS / "matching"
SECOND = Path(__file__).parents[1] / "policy" / "packs" / "made-up-2027.yaml"


def test_a_new_organisation_sees_its_matches_and_is_told_when_a_second_batch_opens(live_server, browser, time_machine):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=True)
    page, base = new_page(browser), live_server.url

    page.goto(f"{base}/orgs/register/")
    fill_registration(page, name="合肥匹配智能科技有限公司", username="pipei_jbr", password=APPLICANT_PASSWORD)
    page.check("#id_consent")
    page.click("button[type=submit]:has-text('同意并注册')")
    page.wait_for_url("**/orgs/mine/")

    # No form filled: the dashboard already judges every clause of the open 2026 batch.
    page.goto(f"{base}/dashboard/")
    matches = page.locator("#matches")
    text = matches.inner_text()
    assert "第二条 促进垂类模型应用" in text and "第四条" in text and "第五条" in text
    assert "需补充信息" in text  # 自主知识产权 and credit were never stated
    assert "拥有明晰的自主知识产权" in text
    page.locator("#matches details").first.click()
    assert page.locator("#matches .citation-ref").first.inner_text().strip()  # each rule cites the notice
    assert "（虚构）" not in text
    page.screenshot(path=str(ARTIFACTS / "1-matches-before-any-form.png"), full_page=True)

    # The province loads the made-up 2027 notice as a new batch; the clock reaches its window.
    province = make_user("province", Role.PROVINCE)
    time_machine.move_to(at("2026-12-01 10:00:00"), tick=True)
    pack_version_load(SECOND.read_text(encoding="utf-8"), user=province, note="（虚构）2027年度通知")
    time_machine.move_to(at("2027-03-02 09:00:00"), tick=True)
    assert batch_openings_send_due() == 1  # the worker's housekeeping step
    assert batch_openings_send_due() == 0

    # A year later the session has expired: sign in again and read the message.
    browser_sign_in(page, base, User.objects.get(username="pipei_jbr"), password=APPLICANT_PASSWORD)
    page.goto(f"{base}/applications/notifications/")
    body = page.locator("main").inner_text()
    assert "新批次开放申报" in body and "（虚构）" in body
    page.screenshot(path=str(ARTIFACTS / "2-notified.png"), full_page=True)
    page.goto(f"{base}/dashboard/")
    assert "虚构第二条" in page.locator("#matches").inner_text()
    page.screenshot(path=str(ARTIFACTS / "3-second-batch-matches.png"), full_page=True)
