"""In a real Chromium: an organisation registers, uploads its 授权书, and the Hefei clerk confirms it."""

from __future__ import annotations


import pytest

from duixian.authz.roles import Role
from duixian.orgs.models import OrgStatus, Organisation
from tests.browser.registration import fill_registration
from tests.conftest import ARTIFACTS, PASSWORD, make_user, new_page, totp_code
from tests.orgs.test_registration import HEFEI_USCC, PASSWORD as APPLICANT_PASSWORD, tiny_pdf

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    return new_page(browser)


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"org-registration-{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_register_upload_and_clerk_confirms(page, live_server):
    clerk = make_user("hefei_clerk", Role.CITY_CLERK, city_code="340100", full_name="合肥市科技局经办人")
    totp_code(clerk)  # the clerk has an authenticator already (the demo secret)

    # 1. The applicant registers the organisation and themself.
    page.goto(f"{live_server.url}/orgs/register/")
    fill_registration(page, name="合肥新锐智能科技有限公司", username="xinrui_jbr", password=APPLICANT_PASSWORD,
                      uscc=HEFEI_USCC.lower())  # lower case is accepted
    # Forgetting the consent first: the error sits at the top and beside the box, nothing stored.
    page.click("button[type=submit]:has-text('同意并注册')")
    assert page.locator(".error-summary").is_visible()
    assert "请阅读个人信息处理告知书并勾选同意" in page.locator(".field .errorlist").first.inner_text()
    shot(page, "1-consent-missing")
    assert not Organisation.objects.exists()
    page.fill("#id_password1", APPLICANT_PASSWORD)
    page.fill("#id_password2", APPLICANT_PASSWORD)
    page.check("#id_consent")
    page.click("button[type=submit]:has-text('同意并注册')")
    page.wait_for_url("**/orgs/mine/")
    assert "请经办人先上传加盖单位公章的授权书" in page.content()
    shot(page, "2-registered")

    # 2. The 经办人 uploads the 授权书 (a small PDF).
    page.set_input_files("#id_file", files=[{"name": "授权书.pdf", "mimeType": "application/pdf",
                                              "buffer": tiny_pdf("Letter of authority")}])
    page.click("button:has-text('上传授权书')")
    page.wait_for_selector("iframe.letter-preview")
    assert "正等待合肥市科技局确认" in page.content()
    shot(page, "3-letter-uploaded")
    page.click("button:has-text('退出')")

    # 3. The Hefei clerk signs in (password, then the one-time code) and confirms.
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "hefei_clerk")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]:has-text('登录')")
    page.wait_for_selector("#id_token")
    page.fill("#id_token", totp_code(clerk))
    page.locator("#id_token").press("Enter")
    page.wait_for_url(lambda url: "/accounts/" not in url)
    page.goto(f"{live_server.url}/orgs/review/")
    assert "待确认（1）" in page.content()
    shot(page, "4-clerk-list")
    page.click("a:has-text('查看授权书并确认')")
    frame = page.wait_for_selector("iframe.letter-preview")
    # The PDF loads inside the page's frame (served inline, SAMEORIGIN for this view only).
    response = page.request.get(live_server.url + frame.get_attribute("src"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    page.wait_for_timeout(3000)  # Chromium's PDF viewer draws the page inside the frame
    shot(page, "5-clerk-preview")
    page.click("form[action$='/confirm/'] button:has-text('确认')")
    page.wait_for_url("**/orgs/review/")
    assert "可以提交申报" in page.content()
    shot(page, "6-confirmed")
    assert Organisation.objects.get().status == OrgStatus.CONFIRMED
