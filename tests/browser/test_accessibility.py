"""What a browser reports on our pages (issue 20).

The console stays clean: htmx used to inject its indicator <style>, which the CSP refuses
("Refused to apply inline style…") on every page that loads it, and /favicon.ico was a 404.
"""

import pytest

from duixian.applications.services import application_create
from duixian.compute.models import ComputeJob
from tests.applications.conftest import at
from tests.conftest import browser_sign_in, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page) -> list[str]:
    """Console errors, uncaught exceptions and failed responses of a page, as they come."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"exception: {e}"))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return problems


def _visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def test_pages_of_each_role_leave_the_console_clean(live_server, browser, signed_up, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=True)
    base = live_server.url

    page = new_page(browser)
    problems = _watch(page)
    for path in ("/", "/accounts/login/", "/orgs/register/", "/notice/"):
        _visit(page, base + path)
    assert page.request.get(f"{base}/favicon.ico").status == 200
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(base + icon).status == 200
    assert problems == []
    page.context.close()

    applicant = signed_up["hefei_applicant"]
    app = application_create(user=applicant, clause="2", project_name="医院影像辅助诊断大模型应用")
    page = new_page(browser)
    problems = _watch(page)
    browser_sign_in(page, base, applicant)
    for path in (f"/applications/{app.pk}/tasks/", f"/applications/{app.pk}/section/project/"):
        _visit(page, base + path)
    assert problems == []
    page.context.close()

    province = signed_up["province"]
    job = ComputeJob.objects.create(kind="import", status="succeeded", created_by=province, message="导入完成")
    page = new_page(browser)
    problems = _watch(page)
    browser_sign_in(page, base, province)
    _visit(page, f"{base}/compute/jobs/{job.pk}/")  # loads htmx
    assert page.locator("script[src*='htmx']").count() == 1
    assert problems == []
    page.context.close()
