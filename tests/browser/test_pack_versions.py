"""In a real Chromium: the province uploads a 补充通知 pack, sees it refused with its places when it
is wrong, sees the diff when it is right, confirms, and finds 2026.2 marked as the version in force."""

from __future__ import annotations

from pathlib import Path

import pytest

from duixian.policy.active import current_pack
from duixian.policy.models import PackVersion
from tests.conftest import CHROMIUM, new_page, browser_sign_in as sign_in
from tests.policy.test_versions import NOTE, supplement

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"pack-versions-{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_province_loads_a_supplementary_notice(browser, live_server, users, tmp_path):  # noqa: F811
    base = live_server.url
    bad = tmp_path / "anhui-2026.2-bad.yaml"
    bad.write_text(supplement(deadline="2026-05-07T17:00:00+08:00"), encoding="utf-8")
    good = tmp_path / "anhui-2026.2.yaml"
    good.write_text(supplement(), encoding="utf-8")

    page = new_page(browser)
    sign_in(page, base, users["province"])
    page.goto(f"{base}/dashboard/")
    page.click("a:has-text('政策包版本与补充通知')")
    assert page.locator("[data-batch='anhui-agi-2.0-2026'] .current-version").inner_text() == "2026.1"

    # A close after the city deadline: refused, the place named in the summary and by the field.
    page.set_input_files("#id_file", str(bad))
    page.fill("#id_note", NOTE)
    page.click("button:has-text('检查并查看差异')")
    summary = page.locator(".error-summary")
    assert "windows.city_review_deadline（第31行）" in summary.inner_text()
    assert "windows.city_review_deadline（第31行）" in page.locator(".field .errorlist").inner_text()
    shot(page, "1-refused")
    assert not PackVersion.objects.exists()

    # The right file: the diff first, then confirmation.
    page.set_input_files("#id_file", str(good))
    page.fill("#id_note", NOTE)
    page.click("button:has-text('检查并查看差异')")
    row = page.locator('tr[data-key="application_close"]')
    assert row.locator("td.old").inner_text() == "2026年5月5日 23:59:00"
    assert row.locator("td.new").inner_text() == "2026年5月8日 23:59:00"
    shot(page, "2-diff")
    page.click("button:has-text('确认加载并启用版本 2026.2')")
    page.wait_for_selector("text=政策包版本 2026.2 已加载并启用")
    assert page.locator("[data-batch='anhui-agi-2.0-2026'] .current-version").inner_text() == "2026.2"
    assert page.locator('tr[data-version="2026.2"] .tag.ok').inner_text() == "现行"
    shot(page, "3-list")
    assert current_pack().version == "2026.2"
    assert PackVersion.objects.get(is_active=True).note == NOTE
