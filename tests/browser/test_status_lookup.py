"""An organisation looks up its application by 受理编号 without logging in (issue 19 item 4).

Drives Debian's Chromium with Playwright against the live server; screenshots are kept under
test-artifacts/status-lookup/.
"""

import pytest

from tests.applications.conftest import at
from tests.conftest import ARTIFACTS as SHARED_ARTIFACTS, new_page
from tests.decisions.conftest import make_recommended

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = SHARED_ARTIFACTS / "status-lookup"


def test_anonymous_lookup_by_reference_and_code(live_server, browser, users, time_machine):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    app = make_recommended(users["hefei_applicant"], users["hefei_clerk"], "医院影像辅助诊断大模型应用")
    time_machine.move_to(at("2026-04-23 10:00:00"), tick=True)

    page, base = new_page(browser), live_server.url
    page.goto(base + "/track/")
    page.fill("#id_reference", app.reference)
    page.fill("#id_uscc", "91340200MA2N8K3L1T")  # another organisation's code
    page.click("#status-lookup-form button[type=submit]")
    assert page.locator("#status-not-found").is_visible()
    assert "医院影像" not in page.content()

    page.fill("#id_uscc", "91340100ma2rxh7q95")  # the right one, typed in lower case
    page.click("#status-lookup-form button[type=submit]")
    assert page.locator("#status-state").inner_text() == "市级已推荐"
    current = page.locator("#stage-province")
    assert current.get_attribute("aria-current") == "step"
    assert "省科技厅组织评审并作出决定" in current.inner_text()
    assert "2026年5月7日 17:00前完成审核推荐" in page.locator("#stage-city").inner_text()
    assert "张晓明" not in page.content() and "13912346594" not in page.content()  # no contact
    page.screenshot(path=str(ARTIFACTS / "found.png"), full_page=True)
