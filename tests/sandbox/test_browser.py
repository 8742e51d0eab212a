"""In a real Chromium: the province tries a cap of 150 万元 in the 政策沙盘 and sees the chart;
a registry file with bad rows is refused with every line named."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, CHROMIUM, new_page, browser_sign_in as sign_in
from tests.registries.conftest import HEFEI, csv_bytes

from .test_sandbox import three  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


def test_sandbox_worked_example_and_registry_import_errors(browser, live_server, users, three, tmp_path):  # noqa: F811
    page = new_page(browser)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, users["province"])
    page.goto(f"{live_server.url}/sandbox/")
    page.select_option("#id_parameter", "clause2_cap_wan")
    page.fill("#id_value", "150")
    page.click("#trial-form button[type=submit]")
    page.wait_for_selector("#stat-after")
    assert page.inner_text("#stat-before") == "170.00" and page.inner_text("#stat-after") == "220.00"
    page.wait_for_selector("#chart-cities svg")
    page.wait_for_selector("#chart-clauses svg")
    assert "合肥市" in page.inner_text("#by-city")
    page.screenshot(path=str(ARTIFACTS / "sandbox-cap-150.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "echarts" in e.lower()]

    bad = tmp_path / "credit.csv"
    bad.write_bytes(csv_bytes("serious_dishonesty", [["123", "甲", "2025", "x"], [HEFEI, "乙", "", "x"]]))
    page.goto(f"{live_server.url}/registries/import/")
    page.select_option("#id_kind", "serious_dishonesty")
    page.set_input_files("#id_file", str(bad))
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#import-problems")
    text = page.inner_text("#import-problems")
    assert "第2行" in text and "第3行" in text and "整个文件未导入" in text
    page.screenshot(path=str(ARTIFACTS / "registry-import-errors.png"), full_page=True)
