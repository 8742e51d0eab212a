"""axe-core on every page each role can reach (issue 20).

GB/T 37668-2019 and the 适老化 rules follow WCAG 2.x AA. axe-core (bundled by the PyPI package
axe-playwright-python, so a fresh machine needs nothing but `pip install -e .[dev]`) runs on
every page below and no serious or critical violation may be found. Each role's pages are found
by following the links from its work bench (and a few pages reached by typing or by a form's
answer), one page per view, so a page added later is checked without touching this file. The browser context
bypasses our CSP only so that axe's script can be injected; the pages are served as always.

A violation that needs a bigger change than this issue makes is listed in KNOWN with the
reason, so it is visible and the rest of the page is still checked.
"""

from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from django.urls import Resolver404, resolve

from duixian.applications.services import application_create
from duixian.policy.pack import default_pack
from tests.applications.conftest import at
from tests.conftest import browser_sign_in, new_page
from tests.decisions.conftest import make_recommended
from tests.review.conftest import make_submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
SERIOUS = {"serious", "critical"}
# (rule id, CSS target) → why it is not fixed yet. Keep empty unless a fix is truly out of scope.
KNOWN: dict[tuple[str, str], str] = {}


def violations(page) -> list[str]:
    """Serious and critical axe violations of the page as it stands, one line per element."""
    results = AXE.run(page, options={"resultTypes": ["violations"],
                                     "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                           "wcag21aa", "best-practice"]}})
    found = []
    for rule in results.response["violations"]:
        if rule["impact"] not in SERIOUS:
            continue
        for node in rule["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            if (rule["id"], target) not in KNOWN:
                found.append(f"{rule['id']} ({rule['impact']}) {target}: {node.get('failureSummary', '')[:160]}")
    return found


def walk(page, base: str, paths: list[str]) -> dict[str, list[str]]:
    report = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.status == 200, f"{path} answered {response.status}"
        page.wait_for_load_state("networkidle")
        if found := violations(page):
            report[path] = found
    return report


# Links that change something or leave the site's pages: never followed by the crawl.
NOT_FOLLOWED = {"accounts:logout", "set_language", "core:demo_clock"}


def view_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def has_object_id(path: str) -> bool:
    """The page shows one object (its URL carries the object's number)."""
    return any(isinstance(value, int) for value in resolve(urlsplit(path).path).kwargs.values())


def crawl(page, base: str, seeds: list[str], *, limit: int = 60) -> tuple[dict[str, list[str]], list[str]]:
    """Follow same-site links from `seeds`, one page per view; axe on each HTML page.

    Returns (violations by path, paths checked). Downloads (anything not text/html) are not
    opened in the page; a link that answers an error is itself reported, and so is a page of one
    object (a detail page) without a back link to where it was listed.
    """
    report: dict[str, list[str]] = {}
    seen_views: set[str] = set()
    checked: list[str] = []
    queue = list(seeds)
    while queue and len(checked) < limit:
        path = queue.pop(0)
        view = view_of(urlsplit(path).path)
        if view is None or view in seen_views or view in NOT_FOLLOWED:
            continue
        seen_views.add(view)
        head = page.request.get(base + path, max_redirects=0)
        if head.status in (301, 302, 303):
            continue  # a form's answer or a guard's redirect: the target is reached by its own link
        if head.status != 200:
            report[path] = [f"answered {head.status}"]
            continue
        if not head.headers.get("content-type", "").startswith("text/html"):
            continue  # a download
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        checked.append(path)
        found = violations(page)
        if has_object_id(path) and not page.locator("main a", has_text="←").count():
            found.append("a page of one object without a back link (← …) to its list")
        if found:
            report[path] = found
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            url = urlsplit(urljoin(base + path, href))
            if url.netloc == urlsplit(base).netloc and url.path not in queue:
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return report, checked


def axe_page(browser):
    # bypass_csp: axe is injected as a script string, which our CSP rightly refuses.
    return new_page(browser, bypass_csp=True)


def test_public_pages(live_server, browser, signed_up):
    page = axe_page(browser)
    report = walk(page, live_server.url, ["/", "/notice/", "/accounts/login/", "/orgs/register/", "/policy/",
                                          "/policy/2/", "/public/gongshi/"])
    assert report == {}
    # A refused form, with its error summary and the errors beside the fields.
    page.goto(live_server.url + "/orgs/register/")
    page.locator("form.card[novalidate] button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    assert violations(page) == []
    # The check itself sees what it should: a field without a label is reported.
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input id=unlabelled>')")
    assert [line for line in violations(page) if line.startswith("label (critical) #unlabelled")]


def test_applicant_pages(live_server, browser, signed_up, time_machine):
    applicant = signed_up["hefei_applicant"]
    sent = make_submitted(applicant, "医院影像辅助诊断大模型应用", time_machine=time_machine)
    time_machine.move_to(at("2026-04-22 10:00:00"), tick=True)
    draft = application_create(user=applicant, clause="2", project_name="智慧工厂质检大模型应用")
    page = axe_page(browser)
    browser_sign_in(page, live_server.url, applicant)
    report, checked = crawl(page, live_server.url, [
        "/dashboard/", "/applications/new/", f"/applications/{draft.pk}/section/project/",
        f"/applications/{draft.pk}/check/", f"/applications/{sent.pk}/status/", "/accounts/password/"])
    assert report == {}
    assert {f"/applications/{draft.pk}/tasks/", f"/applications/{draft.pk}/materials/", "/orgs/mine/people/",
            "/applications/notifications/"} <= set(checked)


def test_city_clerk_pages(live_server, browser, signed_up, time_machine):
    sent = make_submitted(signed_up["hefei_applicant"], "医院影像辅助诊断大模型应用", time_machine=time_machine)
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=True)
    page = axe_page(browser)
    browser_sign_in(page, live_server.url, signed_up["hefei_clerk"])
    report, checked = crawl(page, live_server.url, ["/dashboard/", "/review/", "/accounts/security/"])
    assert report == {}
    assert {f"/review/{sent.pk}/", "/orgs/review/"} <= set(checked)


def _published_and_assigned(users, time_machine):
    """Three recommended applications: two approved and published, one given to the expert."""
    from duixian.decisions.services import assignment_create, decision_approve, panel_create, publication_create

    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    hefei, clerk, province = users["hefei_applicant"], users["hefei_clerk"], users["province"]
    apps = [make_recommended(hefei, clerk, name) for name in ("医院影像辅助诊断大模型应用", "智慧工厂质检大模型应用",
                                                               "港口调度大模型应用")]
    time_machine.move_to(at("2026-05-20 10:00:00"), tick=False)
    panel = panel_create(batch_id=default_pack().batch_id, clause="2", name="第二条评比专家组",
                         members=[users["expert"]], user=province)
    assignment = assignment_create(application=apps[2], expert=users["expert"], panel=panel, user=province)
    for app in apps[:2]:
        decision_approve(app, amount="20", user=province, without_panel_reason="专家组线下评审，评分表纸质存档")
    time_machine.move_to(at("2026-06-18 10:00:00"), tick=False)
    publication = publication_create(applications=apps[:2], working_days=5, title="2026年度政策兑现拟支持项目公示",
                                     contact="省科技厅人工智能处 0551-62626995", user=province)
    time_machine.move_to(at("2026-06-18 10:00:00"), tick=True)
    return apps, assignment, publication


def test_province_pages(live_server, browser, signed_up, time_machine):
    apps, _assignment, publication = _published_and_assigned(signed_up, time_machine)
    page = axe_page(browser)
    browser_sign_in(page, live_server.url, signed_up["province"])
    report, checked = crawl(page, live_server.url, ["/dashboard/", "/decisions/", "/compute/",
                                                     "/province/announcements/", "/policy/versions/"])
    assert report == {}
    assert {"/decisions/applications/", f"/decisions/publications/{publication.pk}/", "/decisions/review/"} <= set(checked)


def test_expert_pages(live_server, browser, signed_up, time_machine):
    _apps, assignment, _publication = _published_and_assigned(signed_up, time_machine)
    page = axe_page(browser)
    browser_sign_in(page, live_server.url, signed_up["expert"])
    report, checked = crawl(page, live_server.url, ["/dashboard/", "/decisions/expert/"])
    assert report == {}
    assert f"/decisions/expert/assignments/{assignment.pk}/" in checked


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "audit_admin"])
def test_administrator_pages(live_server, browser, signed_up, role):
    page = axe_page(browser)
    browser_sign_in(page, live_server.url, signed_up[role])
    report, checked = crawl(page, live_server.url, ["/dashboard/", "/accounts/security/"])
    assert report == {}
    assert len(checked) > 2, checked
