"""The 合肥 clerk in a real browser: return an application → the applicant resubmits → recommend
→ download the 汇总表 xlsx, opened with openpyxl and checked cell by cell.

Drives Debian's Chromium with Playwright against the live server; screenshots are kept under
test-artifacts/city-review/.
"""


import openpyxl
import pytest

from duixian.applications.models import Application, ApplicationState, StateChange
from tests.conftest import ARTIFACTS as SHARED_ARTIFACTS, browser_sign_in as sign_in, browser_sign_out as sign_out, new_page, totp_code
from tests.review.conftest import at, make_submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = SHARED_ARTIFACTS / "city-review"


@pytest.fixture
def browser_page(browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return new_page(browser, accept_downloads=True)


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_return_resubmit_recommend_and_download(live_server, browser_page, users, time_machine, tmp_path):
    page, base = browser_page, live_server.url
    clerk, applicant = users["hefei_clerk"], users["hefei_applicant"]
    app = make_submitted(applicant, "医院影像辅助诊断大模型应用", time_machine=time_machine)
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=True)
    totp_code(clerk)  # the clerk has an authenticator already (the demo secret)

    # 1. The clerk finds the application in the work list, with the deadline and what to deliver.
    sign_in(page, base, clerk)
    page.goto(base + "/review/")
    assert "个工作日" in page.inner_text("#city-deadline")
    assert "一式两份" in page.content()
    shot(page, "1-work-list")
    page.click(f"a:has-text('{app.reference}')")
    page.wait_for_url(f"**/review/{app.pk}/")
    page.click("details.material summary >> nth=0")  # previews load when the clerk opens a material
    page.wait_for_selector("iframe.material-preview")
    # Let the PDF preview finish loading: Chromium's viewer can take the focus as it opens, and
    # text typed at that moment goes to the viewer, not the field (seen twice in CI).
    page.wait_for_load_state("networkidle")
    shot(page, "2-review-page")

    # 2. Return for correction with a reason on the purchase item.
    page.check("input[name='cl-result_purchase'][value='correct']")
    page.fill("#id_cl-note_purchase", "请补充采购合同及发票（加盖公章）")
    assert page.input_value("#id_cl-note_purchase") == "请补充采购合同及发票（加盖公章）"
    page.click("button:has-text('保存审核清单')")
    # The save redirects to the same URL, so wait for the new page's message, not the URL.
    page.wait_for_selector("text=审核清单已保存")
    assert page.input_value("#id_ret-item_purchase") == "请补充采购合同及发票（加盖公章）"  # carried over
    page.click("#form-return button[type=submit]")
    page.wait_for_selector("#app-state:has-text('已退回补正')")
    shot(page, "3-returned")
    assert Application.objects.get(pk=app.pk).state == ApplicationState.RETURNED
    sign_out(page)

    # 3. The applicant sees the reason and resubmits.
    sign_in(page, base, applicant)
    page.goto(base + f"/applications/{app.pk}/status/")
    assert "请补充采购合同及发票（加盖公章）" in page.content()
    page.goto(base + f"/applications/{app.pk}/check/")
    page.check("#id_declaration")
    page.click("form.card button[type=submit]:has-text('重新提交')")
    page.wait_for_url("**/confirmation/")
    assert Application.objects.get(pk=app.pk).state == ApplicationState.SUBMITTED
    shot(page, "4-resubmitted")
    sign_out(page)

    # 4. The clerk recommends it.
    sign_in(page, base, clerk)
    page.goto(base + f"/review/{app.pk}/")
    page.click("#form-recommend button[type=submit]")
    page.wait_for_selector("#app-state:has-text('市级已推荐')")
    shot(page, "5-recommended")
    assert StateChange.objects.filter(application=app, action="recommend").count() == 1

    # 5. The 汇总表 download, checked cell by cell.
    page.goto(base + "/review/")
    assert page.inner_text("#recommended-count") == "1"
    with page.expect_download() as info:
        page.click("#download-summary-xlsx")
    download = info.value
    # Each download the clerk makes is an archived, numbered version (issue 15): the file says which.
    assert download.suggested_filename == "合肥市科技局-兑现申报（汇总）表-第1版.xlsx"
    path = tmp_path / "summary.xlsx"
    download.save_as(path)
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "兑现申报（汇总）表"
    assert ws["A2"].value == "归口管理部门（盖章）：合肥市科技局"
    assert ws["A3"].value == "联系人及联系方式：0551-63538227"
    assert [c.value for c in ws[4]] == ["序号", "项目名称", "依据政策条款", "拟申请兑现金额（万元）", "项目联系人及联系方式"]
    assert [c.value for c in ws[5]] == [1, "医院影像辅助诊断大模型应用", "2.促进垂类模型应用", 24, "张晓明 13155113928"]
    assert ws["D5"].number_format == "0.00"
    assert [ws["A6"].value, ws["D6"].value, ws["E6"].value] == ["合计", 24, "共 1 项"]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$4"
    shot(page, "6-after-download")
