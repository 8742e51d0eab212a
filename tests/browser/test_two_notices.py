"""Issue 18 "done when", in a real Chromium: a made-up second notice (tests/policy/packs/
made-up-2027-full.yaml: its own batch, a new 第六条, a new fact, question, material, amount rule
and scoring sheet) is loaded through the province's page while the 2026 batch is open, and drives
政策自测, the application form, materials, the city checklist and 汇总表, expert review with the
pack's scoring sheet, decisions, 公示 and the 政策沙盘 beside a 2026 application — with no code
change.

Both windows are open on 2026-04-20 (2026: 4-10 08:00 … 5-5 23:59; made-up: 4-15 09:00 … 5-15 18:00).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from duixian.applications.models import Application, ApplicationState as S
from duixian.decisions.models import ExpertPanel
from tests.applications.conftest import PDF, at
from tests.conftest import CHROMIUM, ARTIFACTS, browser_sign_in as sign_in, browser_sign_out as sign_out, new_page
from tests.decisions.conftest import make_recommended

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]

FULL = Path(__file__).resolve().parents[1] / "policy" / "packs" / "made-up-2027-full.yaml"
NEW = "made-up-2027-full"
OLD = "anhui-agi-2.0-2026"


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"two-notices-{name}.png"), full_page=True)


def settle(page):
    page.wait_for_load_state("networkidle")


def save_section(page):
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(200)
    settle(page)
    page.click("text=保存并返回任务清单")
    page.wait_for_url("**/tasks/")


@pytest.mark.django_db(transaction=True)
def test_a_second_notice_runs_beside_the_2026_batch(browser, live_server, users, time_machine, tmp_path):
    base = live_server.url
    province, applicant, clerk, expert = (users[k] for k in ("province", "hefei_applicant", "hefei_clerk", "expert"))
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=True)
    # The 2026 side: one clause-2 application, recommended by 合肥, before the second notice exists.
    old = make_recommended(applicant, clerk, "医院影像辅助诊断大模型应用")
    assert old.batch_id == OLD

    # 1. The province loads the second notice through /policy/versions/ while 2026 is open.
    page = new_page(browser)
    sign_in(page, base, province)
    page.goto(f"{base}/policy/versions/")
    page.set_input_files("#id_file", str(FULL))
    page.fill("#id_note", "（虚构）人才培训政策兑现通知")
    page.click("button:has-text('检查并查看差异')")
    page.wait_for_selector(f"text=这是一个新批次（{NEW}）")
    page.click("button:has-text('确认加载并启用')")
    page.wait_for_selector("text=已加载并启用")
    assert page.locator(f"[data-batch='{NEW}'] .current-version").inner_text() == "2027.1-full-test"
    assert page.locator(f"[data-batch='{OLD}'] .current-version").count() == 1
    shot(page, "1-loaded")
    sign_out(page)

    # 2. 政策自测 for the new clause, with the new fact, signed out.
    page.goto(f"{base}/policy/6/?batch={NEW}")
    page.fill("#id_project__occurred_on", "2025-10-01")
    page.fill("#id_training__trainees_count", "60")
    page.fill("#id_training__cost_wan", "50")
    page.click("button:has-text('查看结论')")
    page.wait_for_selector("#verdict")
    assert "15.00" in page.inner_text("#verdict")
    shot(page, "2-self-check")
    # The same page for 2026 still asks 2026's questions.
    page.goto(f"{base}/policy/2/?batch={OLD}")
    assert page.locator("#id_scene__own_supply_capability_0, [name='scene__own_supply_capability']").count() >= 1

    # 3. The applicant starts a clause-6 application in the new batch and answers the new question.
    sign_in(page, base, applicant)
    page.goto(f"{base}/applications/new/?batch={NEW}")
    page.check('input[name="choice"][value="6"]')
    page.fill("#id_project_name", "人工智能工程师培训计划")
    page.click("text=创建申报草稿")
    page.wait_for_url("**/tasks/")
    pk = int(page.url.rstrip("/").split("/")[-2])
    new = Application.objects.get(pk=pk)
    assert new.batch_id == NEW and new.clause == "6"
    assert "人才培训情况" in page.content()
    shot(page, "3-task-list")
    page.goto(f"{base}/applications/{pk}/section/training/")
    assert "本年度培训人工智能人才人数（人）" in page.content()
    page.fill("#id_training__trainees_count", "60")
    page.fill("#id_training__cost_wan", "50")
    page.press("#id_training__cost_wan", "Tab")
    settle(page)
    page.wait_for_selector("#verdict-panel >> text=15.00 万元")
    shot(page, "4-new-question")
    save_section(page)
    page.goto(f"{base}/applications/{pk}/section/project/")
    page.fill("#id_project__occurred_on", "2025-10-01")
    page.fill("#id_amount_requested_wan", "15")
    page.fill("#id_contact_name", "陈静")
    page.fill("#id_contact_phone", "13155113928")
    save_section(page)

    # 4. The new material slot, then submit.
    pdf = tmp_path / "材料.pdf"
    pdf.write_bytes(PDF)
    page.goto(f"{base}/applications/{pk}/materials/")
    assert "人才培训结业名册" in page.content()
    for slot in ("application_form", "training_roster"):
        page.goto(f"{base}/applications/{pk}/materials/")
        page.set_input_files(f"#file-{slot}", str(pdf))
        page.click(f"#slot-{slot} button[type=submit]")
        page.wait_for_selector(f"#slot-{slot} >> text=已上传")
    shot(page, "5-materials")
    page.goto(f"{base}/applications/{pk}/check/")
    page.check("#id_declaration")
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/confirmation/")
    new.refresh_from_db()
    assert new.state == S.SUBMITTED
    sign_out(page)

    # 5. The city clerk: the new batch's work list, its checklist, recommend, its own 汇总表.
    sign_in(page, base, clerk)
    page.goto(f"{base}/review/?batch={NEW}")
    assert new.reference in page.content() and old.reference not in page.content()
    page.click(f"a:has-text('{new.reference}')")
    page.wait_for_url(f"**/review/{pk}/")
    assert "人才培训结业名册不少于50人" in page.content()
    assert "场景在安徽省内实施" not in page.content()  # 2026's clause-2 checklist is not this batch's
    shot(page, "6-review")
    page.click("#form-recommend button[type=submit]")
    page.wait_for_selector("#app-state:has-text('市级已推荐')")
    page.goto(f"{base}/review/?batch={NEW}")
    with page.expect_download() as info:
        page.click("#download-summary-xlsx")
    path = tmp_path / "summary.xlsx"
    info.value.save_as(path)
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(path).active.iter_rows()]
    cells = [str(v) for row in rows for v in row if v is not None]
    assert "6.支持人才培训" in cells and "人工智能工程师培训计划" in cells
    assert "医院影像辅助诊断大模型应用" not in cells and "2.促进垂类模型应用" not in cells
    # The 2026 batch's work list still holds only the 2026 application.
    page.goto(f"{base}/review/?batch={OLD}")
    assert old.reference in page.content() and new.reference not in page.content()
    sign_out(page)

    # 6. Expert review of the new clause with the new pack's scoring sheet: the province forms a
    # panel for the made-up batch's 第六条 and assigns the application; the expert scores it.
    sign_in(page, base, province)
    page.goto(f"{base}/decisions/review/?batch={NEW}")
    assert "虚构第六条 人才培训 评审评分表" in page.content() and "场景应用标杆 评比评分表" not in page.content()
    assert page.locator("#id_panel-clause option[value='6']").count() == 1
    page.select_option("#id_panel-clause", "6")
    page.fill("#id_panel-name", "人才培训专家组")
    page.check(f"input[name='panel-members'][value='{expert.pk}']")
    page.click("#panel-form button[type=submit]")
    page.wait_for_selector("text=专家组已组建")
    panel = ExpertPanel.objects.get(batch_id=NEW)
    assert panel.clause == "6"
    page.goto(f"{base}/decisions/applications/{pk}/")
    assert "虚构第六条 人才培训 评审评分表" in page.content()
    page.select_option("#assign-form select", f"{panel.pk}:{expert.pk}")
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector("text=已分配给专家")
    shot(page, "7a-assigned")
    sign_out(page)
    sign_in(page, base, expert)
    page.goto(f"{base}/decisions/expert/")
    page.click(f"a:has-text('{new.reference}')")
    page.wait_for_selector("#score-form")
    assert "培训规模（0–40 分）" in page.content() and "费用合理性（0–20 分）" in page.content()
    assert "技术水平" not in page.content()  # 2026's clause-2 items are not this batch's
    page.fill("#id_score_scale", "36")
    page.fill("#id_score_quality", "34")
    page.fill("#id_score_cost", "18")
    shot(page, "7b-scoring")
    page.click("#score-form button[type=submit]")
    page.wait_for_selector("text=评分已提交")
    sign_out(page)

    # 7. The province sees the panel's result and each application's cap from its own pack,
    # approves the new one, publishes its batch.
    sign_in(page, base, province)
    page.goto(f"{base}/decisions/applications/{pk}/")
    assert page.locator("#panel-mean").inner_text() == "88.00"
    assert page.locator("#approve-form [name=without_panel_reason]").count() == 0  # the panel has scored
    assert page.locator("#cap").inner_text() == "15.00"
    page.fill("#approve-form #id_amount", "15")
    page.click("#approve-form button[type=submit]")
    page.wait_for_selector("#decision")
    assert "15.00" in page.locator("#decision").inner_text()
    page.goto(f"{base}/decisions/applications/{old.pk}/")
    assert page.locator("#cap").inner_text() == "24.00"  # 2026's clause 2: 20% of 120, its own pack
    shot(page, "7c-decided")
    page.goto(f"{base}/decisions/publications/?batch={NEW}")
    # the 公示's default title and objection contact are the new pack's, not 2026's
    assert page.input_value("#publish-form [name=title]") == "（虚构）2027 年度人才培训政策兑现申报拟支持项目公示"
    assert page.input_value("#publish-form [name=contact]") == "虚构处室 0000-0000000"
    page.click("#publish-form button[type=submit]")
    page.wait_for_selector("text=公示期")
    new.refresh_from_db()
    old.refresh_from_db()
    assert new.state == S.PUBLISHED and old.state != S.PUBLISHED  # one 公示 holds one batch
    shot(page, "8-published")
    public = new_page(browser)
    public.goto(f"{base}/public/gongshi/")
    with public.expect_navigation():
        public.click("main a[href^='/public/gongshi/']:not([href*='lookup']) >> nth=0")
    assert "人工智能工程师培训计划" in public.content() and "医院影像辅助诊断大模型应用" not in public.content()
    assert "6.支持人才培训" in public.content() or "虚构第六条" in public.content()
    shot(public, "8b-public-list")

    # 8. 政策沙盘: the new clause's parameters can be tried, and so can 2026's (the batch selector).
    page.goto(f"{base}/sandbox/")
    assert "人才培训补助比例" in page.content()
    page.select_option("#id_batch", OLD)
    page.click("#batch-selector button[type=submit]")
    page.wait_for_url(f"**/sandbox/?batch={OLD}")
    assert "人才培训补助比例" not in page.content() and "第二条 补助上限" in page.content()
    shot(page, "9-sandbox")
