"""适老化 mode and 200% zoom (issue 20).

The switch in the header turns on larger text and higher contrast for the whole site, signed in
or not, and a cookie keeps it. At 200% zoom (a 1280 px window shows 640 CSS px) no page may
scroll sideways; wide tables scroll inside their own box. Screenshots of the pages in 适老化 mode
at 200% are kept under test-artifacts/care-mode/.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from duixian.applications.services import application_create
from tests.applications.conftest import at
from tests.conftest import ARTIFACTS as SHARED_ARTIFACTS, browser_sign_in, browser_sign_out, new_page
from tests.decisions.conftest import make_recommended
from tests.review.conftest import make_submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = SHARED_ARTIFACTS / "care-mode"
ZOOM_200 = {"viewport": {"width": 640, "height": 500}, "device_scale_factor": 2}

# Elements wider than the window, as "tag#id.class (right edge px)", for a readable failure.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && !el.closest('.table-scroll') && getComputedStyle(el).position !== 'absolute') {
      wide.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className} (${Math.round(box.right)})`);
    }
  }
  return wide.slice(0, 8).concat([`scrollWidth ${document.documentElement.scrollWidth} > ${width}`]);
}"""


def switch_on(page) -> None:
    page.click("#care-switch")
    page.wait_for_selector("html.care")


def sideways(page, base: str, paths: list[str], *, shots: str = "") -> dict[str, list[str]]:
    """The pages among `paths` that scroll sideways, with what sticks out; screenshots if asked."""
    found = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.status == 200, f"{path} answered {response.status}"
        page.wait_for_load_state("networkidle")
        if wide := page.evaluate(OVERFLOW):
            found[path] = wide
        if shots:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = path.strip("/").replace("/", "-") or "home"
            page.screenshot(path=str(ARTIFACTS / f"{shots}-{name}.png"), full_page=True)
    return found


def test_the_switch_persists_signed_out_and_signed_in(live_server, browser, signed_up):
    page, base = new_page(browser), live_server.url
    page.goto(base + "/notice/")
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "16px"
    assert page.get_attribute("#care-switch", "aria-pressed") == "false"
    switch_on(page)
    assert page.url == base + "/notice/"  # back on the page it was pressed on
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "20px"
    assert page.get_attribute("#care-switch", "aria-pressed") == "true"
    page.goto(base + "/accounts/login/")  # the next page, before signing in
    assert page.locator("html.care").count() == 1
    browser_sign_in(page, base, signed_up["hefei_applicant"])
    assert page.locator("html.care").count() == 1
    browser_sign_out(page)
    assert page.locator("html.care").count() == 1
    # Switched off again, it stays off.
    page.click("#care-switch")
    page.wait_for_selector("html:not(.care)")
    page.goto(base + "/")
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "16px"


def test_care_mode_text_has_enhanced_contrast(live_server, browser, signed_up, time_machine):
    """In 适老化 mode, text meets WCAG AAA contrast (7:1), not only AA (4.5:1)."""
    sent = make_submitted(signed_up["hefei_applicant"], "医院影像辅助诊断大模型应用", time_machine=time_machine)
    time_machine.move_to(at("2026-04-22 10:00:00"), tick=True)
    page, base = new_page(browser, bypass_csp=True), live_server.url
    page.goto(base + "/")
    switch_on(page)
    browser_sign_in(page, base, signed_up["hefei_applicant"])
    axe, low = Axe(), {}
    for path in ["/", "/notice/", "/policy/2/", "/dashboard/", f"/applications/{sent.pk}/status/"]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        result = axe.run(page, options={"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}})
        if nodes := [n["target"] for v in result.response["violations"] for n in v["nodes"]]:
            low[path] = nodes
    assert low == {}


def test_no_sideways_scrolling_at_200_percent(live_server, browser, signed_up, time_machine):
    applicant = signed_up["hefei_applicant"]
    sent = make_submitted(applicant, "医院影像辅助诊断大模型应用", time_machine=time_machine)
    time_machine.move_to(at("2026-04-22 10:00:00"), tick=True)
    draft = application_create(user=applicant, clause="2", project_name="智慧工厂质检大模型应用")
    base = live_server.url
    public = ["/", "/notice/", "/accounts/login/", "/orgs/register/", "/policy/", "/policy/2/", "/public/gongshi/"]
    applicant_pages = ["/dashboard/", "/applications/", f"/applications/{draft.pk}/tasks/",
                       f"/applications/{draft.pk}/section/project/", f"/applications/{draft.pk}/section/scene/",
                       f"/applications/{draft.pk}/materials/", f"/applications/{draft.pk}/check/",
                       f"/applications/{sent.pk}/status/", "/orgs/mine/"]
    for care in (False, True):
        page = new_page(browser, **ZOOM_200)
        page.goto(base + "/")
        if care:
            switch_on(page)
        shots = "care-200" if care else ""
        assert sideways(page, base, public, shots=shots) == {}
        browser_sign_in(page, base, applicant)
        assert sideways(page, base, applicant_pages, shots=shots) == {}
        page.context.close()
    # The check sees what it should: a box wider than the window is reported.
    page = new_page(browser, **ZOOM_200)
    page.goto(base + "/")
    page.evaluate("""() => { const wide = document.createElement('div');
                             wide.id = 'wide'; wide.textContent = '宽'; wide.style.width = '900px'; document.querySelector('main').append(wide); }""")
    assert page.evaluate(OVERFLOW)[0].startswith("div#wide")


def test_staff_pages_at_200_percent_in_care_mode(live_server, browser, signed_up, time_machine):
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    recommended = make_recommended(signed_up["hefei_applicant"], signed_up["hefei_clerk"], "医院影像辅助诊断大模型应用")
    sent = make_submitted(signed_up["hefei_applicant"], "智慧工厂质检大模型应用", time_machine=time_machine)
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=True)
    base = live_server.url
    page = new_page(browser, **ZOOM_200)
    page.goto(base + "/")
    switch_on(page)
    browser_sign_in(page, base, signed_up["hefei_clerk"])
    assert sideways(page, base, ["/review/", f"/review/{sent.pk}/"], shots="care-200-clerk") == {}
    browser_sign_out(page)
    browser_sign_in(page, base, signed_up["province"])
    assert sideways(page, base, ["/decisions/", "/decisions/applications/", f"/decisions/applications/{recommended.pk}/"],
                    shots="care-200-province") == {}
