"""Printing (issue 20): the application summary, the clerk's review page and the clerk's work list
with its 汇总 print on A4 without the navigation, buttons and forms around the content.

Each page is printed by Chromium to a PDF under test-artifacts/print/ (the CSS page size is
honoured), so a person can look at what the printer would get.
"""

import re

import pytest

from duixian.applications.services import application_create, application_save_answers
from duixian.applications.workflow import application_transition
from tests.applications.conftest import CLAUSE2_ANSWERS, at
from tests.conftest import ARTIFACTS as SHARED_ARTIFACTS, browser_sign_in, browser_sign_out, new_page
from tests.review.conftest import make_submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = SHARED_ARTIFACTS / "print"
A4_POINTS = (595, 842)  # 210 × 297 mm
CHROME = ".site-header, .site-footer, .skip-link, .main-nav, .lang-switch, .care-switch, button, .button, .filters"


def printed(page, base: str, path: str, name: str) -> dict:
    """Open `path` as a printer sees it; what of the chrome is still shown, and the sheet size."""
    page.emulate_media(media="screen")
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    assert page.locator(".site-header").is_visible()  # on screen the navigation is there
    page.emulate_media(media="print")
    shown = page.eval_on_selector_all(CHROME, """els => els.filter(e => e.getClientRects().length > 0)
                                                       .map(e => e.tagName + '.' + e.className)""")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / f"{name}.pdf"), prefer_css_page_size=True, print_background=True)
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    heading = page.locator("main h1").first.is_visible()
    return {"chrome shown": shown, "sheet": tuple(round(float(n)) for n in box.groups()), "heading": heading}


def test_summary_review_page_and_work_list_print_on_a4_without_chrome(live_server, browser, signed_up, time_machine):
    applicant, clerk = signed_up["hefei_applicant"], signed_up["hefei_clerk"]
    sent = make_submitted(applicant, "医院影像辅助诊断大模型应用", time_machine=time_machine)
    recommended = make_submitted(applicant, "智慧工厂质检大模型应用", when="2026-04-21 10:00:00", time_machine=time_machine)
    application_transition(recommended, "recommend", clerk)
    time_machine.move_to(at("2026-04-22 10:00:00"), tick=True)
    draft = application_create(user=applicant, clause="2", project_name="港口调度大模型应用")
    application_save_answers(draft, dict(CLAUSE2_ANSWERS), user=applicant)
    base, page = live_server.url, new_page(browser)
    expected = {"chrome shown": [], "sheet": A4_POINTS, "heading": True}

    browser_sign_in(page, base, applicant)
    assert printed(page, base, f"/applications/{draft.pk}/check/", "applicant-check") == expected
    assert printed(page, base, f"/applications/{sent.pk}/status/", "applicant-status") == expected
    page.emulate_media(media="screen")
    browser_sign_out(page)
    browser_sign_in(page, base, clerk)
    assert printed(page, base, f"/review/{sent.pk}/", "clerk-review") == expected
    assert printed(page, base, "/review/", "clerk-work-list") == expected
    # The 汇总 of what was recommended is on the printed list.
    assert "智慧工厂质检大模型应用" in page.inner_text("main")
