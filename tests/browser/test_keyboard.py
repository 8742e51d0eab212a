"""The applicant, clerk and province journeys with the keyboard alone (issue 20, WCAG 2.1.1).

Only what a keyboard user has: Tab (and Shift+Tab), Enter, Space and typing; the address bar is
used to open a page, as a keyboard user would type it. Every stop the Tab key makes must show
where the focus is (WCAG 2.4.7), and the skip link must take the focus past the navigation.
"""

from urllib.parse import urlsplit

import pytest

from duixian.authz.roles import STAFF_ROLES
from duixian.applications.models import Application, ApplicationState
from duixian.applications.services import application_create, application_save_answers
from tests.applications.conftest import CLAUSE2_ANSWERS, at, fill_materials
from tests.conftest import PASSWORD, new_page, totp_code
from tests.decisions.conftest import make_recommended
from tests.review.conftest import make_submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  return {tag: el.tagName, id: el.id, text: (el.innerText || el.value || '').trim().slice(0, 40),
          outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0};
}"""


def tab_to(page, selector: str, *, limit: int = 120, backwards: bool = False) -> int:
    """Press Tab until the focus is on `selector`; every stop on the way must show its focus."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] not in ("BODY", "IFRAME"):
            assert focused["outlined"], f"no visible focus on {focused}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} not reached with {limit} Tab presses")


def skip_to_main(page) -> None:
    """The first Tab reaches the skip link; Enter puts the focus at the start of the main content.

    A page reached by a redirect after the skip link was used keeps the #main fragment: it
    opens at the main content already, and the next Tab goes there.
    """
    if urlsplit(page.url).fragment == "main":
        return
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert page.evaluate(FOCUSED)["outlined"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def wait_for_path(page, path: str) -> None:
    # A redirect keeps the #main fragment the skip link added to the URL.
    page.wait_for_url(lambda url: urlsplit(url).path.endswith(path))


def sign_in(page, base: str, user, *, next_path: str) -> None:
    staff = user.role in STAFF_ROLES
    if staff:
        totp_code(user)  # staff already have an authenticator (the demo secret)
    page.goto(f"{base}/accounts/login/?next={next_path}")
    skip_to_main(page)
    type_into(page, "#id_username", user.username)
    type_into(page, "#id_password", PASSWORD)
    page.keyboard.press("Enter")
    if staff:
        page.wait_for_selector("#id_token")
        type_into(page, "#id_token", totp_code(user))
        page.keyboard.press("Enter")
    wait_for_path(page, f"{next_path}")


def test_applicant_fills_and_submits_with_the_keyboard(live_server, browser, signed_up, time_machine):
    applicant = signed_up["hefei_applicant"]
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    app = application_create(user=applicant, clause="2", project_name="医院影像辅助诊断大模型应用")
    app = application_save_answers(app, {**CLAUSE2_ANSWERS, "contact_name": ""}, user=applicant)
    fill_materials(app, applicant)
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=True)
    page, base = new_page(browser), live_server.url

    sign_in(page, base, applicant, next_path=f"/applications/{app.pk}/tasks/")
    # The task list → the project section, where the contact person is missing.
    skip_to_main(page)
    tab_to(page, f"a[href='/applications/{app.pk}/section/project/']")
    page.keyboard.press("Enter")
    wait_for_path(page, "/section/project/")
    skip_to_main(page)
    type_into(page, "#id_contact_name", "张晓明")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    wait_for_path(page, "/tasks/")
    # 确认信息并提交: tick the declaration with Space, submit with Enter.
    skip_to_main(page)
    tab_to(page, f"a[href='/applications/{app.pk}/check/']")
    page.keyboard.press("Enter")
    wait_for_path(page, "/check/")
    tab_to(page, "#id_declaration")
    page.keyboard.press("Space")
    assert page.is_checked("#id_declaration")
    tab_to(page, "form.card button[type=submit]")
    page.keyboard.press("Enter")
    wait_for_path(page, "/confirmation/")
    app.refresh_from_db()
    assert app.state == ApplicationState.SUBMITTED
    assert app.contact_name == "张晓明"


def test_clerk_recommends_with_the_keyboard(live_server, browser, signed_up, time_machine):
    app = make_submitted(signed_up["hefei_applicant"], "医院影像辅助诊断大模型应用", time_machine=time_machine)
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=True)
    page, base = new_page(browser), live_server.url

    sign_in(page, base, signed_up["hefei_clerk"], next_path="/review/")
    skip_to_main(page)
    tab_to(page, f"a[href='/review/{app.pk}/']")
    page.keyboard.press("Enter")
    wait_for_path(page, f"/review/{app.pk}/")
    page.wait_for_load_state("networkidle")  # the material preview frame has loaded
    skip_to_main(page)
    tab_to(page, "#form-recommend button[type=submit]", limit=200)
    page.keyboard.press("Enter")
    page.wait_for_selector("#app-state:has-text('市级已推荐')")
    assert Application.objects.get(pk=app.pk).state == ApplicationState.RECOMMENDED


def test_province_decides_with_the_keyboard(live_server, browser, signed_up, time_machine):
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    app = make_recommended(signed_up["hefei_applicant"], signed_up["hefei_clerk"], "医院影像辅助诊断大模型应用")
    time_machine.move_to(at("2026-05-20 10:00:00"), tick=True)
    page, base = new_page(browser), live_server.url

    sign_in(page, base, signed_up["province"], next_path="/decisions/applications/")
    skip_to_main(page)
    tab_to(page, f"a[href='/decisions/applications/{app.pk}/']")
    page.keyboard.press("Enter")
    wait_for_path(page, f"/decisions/applications/{app.pk}/")
    page.wait_for_load_state("networkidle")
    skip_to_main(page)
    type_into(page, "#approve-form #id_amount", "24")
    for field in page.locator("#approve-form textarea").all():  # the reason for deciding without a panel
        type_into(page, f"#approve-form #{field.get_attribute('id')}", "专家组线下评审，评分表纸质存档")
    tab_to(page, "#approve-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#decision")
    assert "24.00" in page.locator("#decision").inner_text()
    assert Application.objects.get(pk=app.pk).state == ApplicationState.APPROVED
