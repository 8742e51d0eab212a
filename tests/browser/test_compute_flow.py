"""In a real Chromium: the province uploads the demo metering file (imported by the background
task with a progress bar), computes, reviews the run with its reasons and publishes it; the 合肥
applicant finds the result on the dashboard without having applied, and confirms it."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from duixian.compute.demo import SAMPLE
from duixian.compute.models import ComputeJob, SubsidyResult
from duixian.compute.services import compute_job_execute
from duixian.core.clock import SHANGHAI
from tests.conftest import CHROMIUM, new_page, browser_sign_in as sign_in, browser_sign_out as sign_out
from tests.conftest import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HEFEI = "91340100MA2RXH7Q95"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"compute-flow-{name}.png"), full_page=True)


def work_the_queue() -> None:
    """What `duixian worker` does: run the queued compute jobs."""
    for job in ComputeJob.objects.filter(status="queued"):
        compute_job_execute(job.pk, task_id=job.task_id)


@pytest.mark.django_db(transaction=True)
def test_province_publishes_and_hefei_confirms(browser, live_server, users, time_machine):  # noqa: F811
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    time_machine.move_to(datetime(2026, 5, 10, 9, 0, tzinfo=SHANGHAI), tick=True)
    base = live_server.url

    # 1. The province uploads the demo metering file; the import runs in the background.
    page = new_page(browser)
    sign_in(page, base, users["province"])
    page.goto(f"{base}/dashboard/")
    page.click("a:has-text('算力补助（免申即享）')")
    page.set_input_files("#id_file", str(SAMPLE))
    page.click("button:has-text('上传并导入')")
    page.wait_for_selector("#compute-job[data-status='queued']")
    assert page.locator("#compute-job progress").count() == 1
    shot(page, "1-queued")
    work_the_queue()
    page.wait_for_selector("#compute-job[data-status='succeeded']")  # the page polls itself
    assert "导入完成：文件 30 行，新增 30 条" in page.locator("#job-message").inner_text()
    shot(page, "2-imported")

    # 2. Compute, then review the run: every organisation with its reasons.
    page.click("button:has-text('开始计算')")
    page.wait_for_selector("#compute-job")
    work_the_queue()
    page.click("a:has-text('的结果并审核')")
    hefei = page.locator(f'#results tr[data-uscc="{HEFEI}"]')
    assert "717.5" in hefei.inner_text() and "符合条件" in hefei.inner_text()
    assert "待确认" in hefei.inner_text()  # no price in the pack: no yuan amount invented
    wuhu = page.locator('#results tr[data-uscc="91340200MA2N8K3L1T"]').inner_text()
    assert "算力补助量（使用量−被使用量）不大于0，不予补助" in wuhu
    assert "不在组织名单中" in page.locator("#results").inner_text()
    shot(page, "3-run")

    # 3. Publish with an objection period ending on 20 May.
    page.fill("#id_objection_last_day", "2026-05-20")
    page.click("button:has-text('发布给各单位')")
    page.wait_for_selector("#published")
    assert "异议期至 2026年5月20日" in page.locator("#published").inner_text()
    shot(page, "4-published")
    sign_out(page)

    # 4. The 合肥 applicant finds its result on the dashboard and confirms it.
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", users["hefei_applicant"].username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action$='/accounts/login/'] button[type=submit]")  # not the header's 适老化 switch
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    page.goto(f"{base}/dashboard/")
    page.click("a:has-text('算力补助（免申即享）结果')")
    assert page.locator('#quantities [data-field="subsidy_quantity"]').inner_text() == "717.5"
    assert page.locator("#months tr[data-month='2025-09']").count() == 1
    shot(page, "5-mine")
    page.click("button:has-text('确认以上结果')")
    page.wait_for_selector("#response")
    assert page.locator("#response").inner_text() == "已确认"
    shot(page, "6-confirmed")
    assert SubsidyResult.objects.get(uscc=HEFEI, run__published_at__isnull=False).response == "confirmed"
