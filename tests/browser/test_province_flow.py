"""In a real Chromium: the province assigns an expert, the expert scores, the province approves and
publishes, the public list shows masked phones, an objection is filed and the province answers it."""

from __future__ import annotations

import pytest

from duixian.authz.roles import Role
from duixian.applications.models import ApplicationState as S
from duixian.decisions.models import Objection
from duixian.decisions.services import panel_create
from duixian.policy.pack import default_pack
from tests.applications.conftest import PDF, at
from tests.conftest import ARTIFACTS, browser_sign_in as sign_in, browser_sign_out as sign_out, make_user, new_page
from tests.decisions.conftest import make_recommended

pytestmark = pytest.mark.browser


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"province-flow-{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_expert_review_decision_publication_and_objection(browser, live_server, users, time_machine):
    base = live_server.url
    province = users["province"]
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    app = make_recommended(users["hefei_applicant"], users["hefei_clerk"], "医院影像辅助诊断大模型应用")
    expert = make_user("wang_expert", Role.EXPERT, full_name="王建国")
    other = make_user("liu_expert", Role.EXPERT, full_name="刘芳")
    panel_create(batch_id=default_pack().batch_id, clause="2", name="第二条评比专家组",
                         members=[expert, other], user=province)
    # The 公示 runs from Thursday 18 June 2026; the clock ticks from here.
    time_machine.move_to(at("2026-06-18 10:00:00"), tick=True)

    # 1. The province looks at the dashboard and assigns the expert.
    page = new_page(browser)
    sign_in(page, base, province)
    page.goto(f"{base}/decisions/")
    page.wait_for_selector("#chart-cities svg")
    assert page.locator('#progress-table tr[data-city="340100"] td').first.inner_text() == "1"
    shot(page, "1-dashboard")
    page.goto(f"{base}/decisions/applications/{app.pk}/")
    page.select_option("#id_member", label="第二条评比专家组 · 王建国")
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector("text=已分配给专家王建国评审")
    shot(page, "2-assigned")
    sign_out(page)

    # 2. The expert sees only their task and scores it, stating 示范效果明显.
    sign_in(page, base, expert)
    page.goto(f"{base}/decisions/expert/")
    page.click(f"a:has-text('{app.reference}')")
    for name, points in {"technology": "20", "effect": "25", "demonstration": "26", "investment": "12"}.items():
        page.fill(f"#id_score_{name}", points)
    page.check("input[name='fact_scene.demonstration_effect'][value='yes']")
    page.fill("#id_comment", "场景已投入使用，示范带动作用明显。")
    shot(page, "3-expert-sheet")
    page.click("#score-form button[type=submit]")
    page.wait_for_selector("text=评分已提交")
    assert "已评分 83.00" in page.content()
    shot(page, "4-expert-scored")
    sign_out(page)

    # 3. The province sees the new verdict, approves 24.00 万元 (the cap) and publishes.
    sign_in(page, base, province)
    page.goto(f"{base}/decisions/applications/{app.pk}/")
    assert page.locator("#current-verdict").inner_text() == "符合条件"
    assert page.locator("#cap").inner_text() == "24.00"
    page.fill("#approve-form #id_amount", "24.01")
    page.click("#approve-form button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert "超过该申报按政策可兑现的上限 24.00 万元" in page.locator(".error-summary").inner_text()
    shot(page, "5-above-cap")
    page.fill("#approve-form #id_amount", "24")
    page.click("#approve-form button[type=submit]")
    page.wait_for_selector("#decision")
    assert "24.00" in page.locator("#decision").inner_text()
    page.goto(f"{base}/decisions/publications/")
    page.click("#publish-form button[type=submit]")
    page.wait_for_selector("text=公示期2026年6月18日至2026年6月25日（5个工作日）")
    shot(page, "6-published")
    app.refresh_from_db()
    assert app.state == S.PUBLISHED
    publication_url = page.url

    # 4. Anyone, signed out, reads the list with masked phones and names, and files an objection.
    public = new_page(browser)
    public.goto(f"{base}/public/gongshi/")
    public.click("a:has-text('2026年度通用人工智能政策兑现拟支持项目公示')")
    contact = public.locator("#publication-items td.contact").first.inner_text()
    assert contact == "张*明 ****6594"
    assert "13912346594" not in public.content() and "张晓明" not in public.content()
    shot(public, "7-public-list")
    public.click("a:has-text('提出异议')")
    public.select_option("#id_item", index=1)
    public.fill("#id_name", "赵敏")
    public.fill("#id_phone", "13155113928")
    public.fill("#id_body", "据了解该场景尚未全面投入使用，请核实。")
    public.set_input_files("#id_files", files=[{"name": "现场照片说明.pdf", "mimeType": "application/pdf",
                                                "buffer": PDF}])
    shot(public, "8-objection-form")
    public.click("#objection-form button[type=submit]")
    public.wait_for_selector("#objection-reference")
    reference = public.locator("#objection-reference").inner_text()
    assert Objection.objects.get().reference == reference
    shot(public, "9-objection-filed")

    # 5. The province answers it; the answer is recorded.
    page.goto(publication_url)
    objection = Objection.objects.get()
    page.check(f"input[name='o{objection.pk}-outcome'][value='dismissed']")
    page.fill(f"#id_o{objection.pk}-answer", "经核实，该场景已于2025年12月投入使用，异议不成立。")
    page.click(f"#objection-{objection.pk} button[type=submit]")
    page.wait_for_selector(f"text=异议 {reference} 已答复并记录")
    assert "已答复" in page.locator(f"#objection-{objection.pk}").inner_text()
    shot(page, "10-objection-answered")
    objection.refresh_from_db()
    assert objection.status == "answered" and objection.answered_by == province
    assert objection.outcome == "dismissed"

    # 6. The objector looks the outcome up by the 受理编号, without signing in.
    public.goto(f"{live_server.url}/public/gongshi/objection/lookup/")
    public.fill("#id_reference", reference)
    public.click("#objection-lookup-form button[type=submit]")
    public.wait_for_selector("#objection-result")
    assert public.locator("#objection-outcome").inner_text() == "异议不成立"
    assert "异议不成立" in public.locator("#objection-answer").inner_text()
    shot(public, "11-objection-lookup")
