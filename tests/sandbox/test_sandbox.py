"""政策沙盘: the worked example, by city and clause, the chart data, the xlsx, 试算 labels, nothing changed."""

import io
from decimal import Decimal

import pytest

from duixian.applications.services import application_create, application_save_answers, application_submit
from duixian.audit.models import AuditEvent
from duixian.policy.engine import evaluate
from duixian.policy.pack import default_pack
from duixian.sandbox.packcopy import pack_with_parameter
from duixian.sandbox.trial import run_trial
from tests.applications.conftest import CLAUSE2_ANSWERS, at, fill_materials

D = Decimal


def test_worked_example_on_the_pack_copy_alone():
    pack = default_pack()
    trial = pack_with_parameter(pack, "clause2_cap_wan", D(150))
    amounts = [evaluate(pack, 2, {"scene": {"development_investment_wan": x}}).max_amount_wan for x in ("300", "800", "50")]
    trial_amounts = [evaluate(trial, 2, {"scene": {"development_investment_wan": x}}).max_amount_wan for x in ("300", "800", "50")]
    assert amounts == [D("60.00"), D("100.00"), D("10.00")] and sum(amounts) == D(170)
    assert trial_amounts == [D("60.00"), D("150.00"), D("10.00")] and sum(trial_amounts) == D(220)
    # the pack in force is untouched
    assert pack.parameter("clause2_cap_wan").value == D(100) and default_pack().amounts[2] is pack.amounts[2]
    assert trial.version.endswith("+沙盘") and pack.version != trial.version


def test_unconfirmed_parameter_gets_a_trial_value():
    pack = default_pack()
    facts = {"award": {"rank": 1}}
    assert evaluate(pack, 4, facts).max_amount_wan is None
    trial = pack_with_parameter(pack, "clause4_amount_rank1_wan", D(80))
    assert evaluate(trial, 4, facts).max_amount_wan == D("80.00")
    assert evaluate(trial, 4, {"award": {"rank": 2}}).max_amount_wan is None  # rank 2 still 待确认


def submit(user, name, investment):
    app = application_create(user=user, clause="2", project_name=name)
    answers = dict(CLAUSE2_ANSWERS, amount_requested_wan=10)
    answers["scene.development_investment_wan"] = investment
    app = application_save_answers(app, answers, user=user)
    fill_materials(app, user)
    return application_submit(app, user=user, token=f"tok-{name}", declaration=True)


@pytest.fixture
def three(users, time_machine):
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    return [
        submit(users["hefei_applicant"], "医院影像辅助诊断大模型应用", "300"),
        submit(users["hefei_applicant"], "智慧工厂质检大模型应用", "800"),
        submit(users["wuhu_applicant"], "港口调度大模型应用", "50"),
    ]


def test_worked_example_over_real_applications(three):
    result = run_trial(default_pack(), "clause2_cap_wan", D(150))
    assert (result.total.count, result.total.before, result.total.after) == (3, D(170), D(220))
    assert result.amount_changes == 1 and result.verdict_changes == 0
    assert [r.project_name for r in result.changed_rows] == ["智慧工厂质检大模型应用"]
    cities = {g.label: (g.count, g.before, g.after) for g in result.by_city if g.count}
    assert cities == {"合肥市": (2, D(160), D(210)), "芜湖市": (1, D(10), D(10))}
    assert [(g.key, g.before, g.after) for g in result.by_clause] == [("2", D(170), D(220))]
    chart = result.chart_data()
    assert chart["cities"] == ["合肥市", "芜湖市"] and chart["city_after"] == ["210.00", "10.00"]


def test_ratio_change_moves_every_uncapped_amount(three):
    result = run_trial(default_pack(), "clause2_ratio", D("0.10"))
    # 10% of 300, 800, 50 = 30 + 80 + 5 (the 800 no longer reaches the 100 cap)
    assert (result.total.before, result.total.after) == (D(170), D(115))
    assert result.amount_changes == 3


def test_page_table_chart_and_export(client, users, login, three):
    login(client, users["province"])
    page = client.get("/sandbox/", {"parameter": "clause2_cap_wan", "value": "150"}).content.decode()
    assert 'id="stat-before">170.00<' in page and 'id="stat-after">220.00<' in page
    assert 'id="stat-delta">50.00<' in page and "试算（未生效）" in page
    assert 'id="chart-cities"' in page and "sandbox-chart" in page and "vendor/echarts.min.js" in page
    assert AuditEvent.objects.filter(action="sandbox.trial", detail__value="150").exists()

    response = client.get("/sandbox/export.xlsx", {"parameter": "clause2_cap_wan", "value": "150"})
    assert response.status_code == 200
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in wb["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["合计（万元）：试算前"] == 170 and summary["合计（万元）：试算后"] == 220
    assert summary["金额变化数"] == 1
    by_city = {row[0]: row[3:5] for row in wb["按地市"].iter_rows(min_row=2, values_only=True)}
    assert by_city["合肥市"] == (160, 210) and by_city["合计"] == (170, 220)
    assert wb["明细"].max_row == 4
    assert AuditEvent.objects.filter(action="sandbox.export").exists()

    # nothing changed: the pack and every application's verdict stay as they were
    assert default_pack().parameter("clause2_cap_wan").value == D(100)
    assert three[1].submissions.get().verdict["max_amount_wan"] == "100.00"


def test_unconfirmed_parameter_is_labelled_trial(client, users, login, db):
    login(client, users["province"])
    page = client.get("/sandbox/", {"parameter": "clause5_evaluation_amount_wan", "value": "30"}).content.decode()
    assert "试算（该参数尚未确认）" in page and "现行未确认" in page


def test_form_errors_say_why(client, users, login):
    login(client, users["province"])
    page = client.get("/sandbox/", {"parameter": "clause2_ratio", "value": "20"}).content.decode()
    assert "比例应在 0 到 1 之间" in page and "error-summary" in page
    page = client.get("/sandbox/", {"parameter": "clause3_ratio", "value": "0.2"}).content.decode()
    assert "请填写参考算力单价" in page


def test_compute_price_over_the_latest_run(users, db):
    from duixian.compute.models import RunStatus, SubsidyResult, SubsidyRun

    zero = {f: 0 for f in ("used", "provided", "excluded_outside_period", "excluded_not_via_platform",
                           "excluded_outside_province", "excluded_self_or_affiliate", "excluded_business")}
    batch = default_pack().batch_id  # a run belongs to a batch; the trial reads its own batch's runs
    old = SubsidyRun.objects.create(status=RunStatus.SUCCEEDED, batch_id=batch, period_start=at("2025-08-16 00:00:00"),
                                    period_end=at("2026-04-16 00:00:00"))
    SubsidyResult.objects.create(run=old, uscc="91340100MA2RXH7Q95", name="旧结果", net=1, eligible=True,
                                 subsidy_quantity=D(999999), **zero)
    run = SubsidyRun.objects.create(status=RunStatus.SUCCEEDED, batch_id=batch, period_start=at("2025-08-16 00:00:00"),
                                    period_end=at("2026-04-16 00:00:00"))
    SubsidyResult.objects.create(run=run, uscc="91340100MA2RXH7Q95", name="合肥测试科技有限公司", net=12000,
                                 eligible=True, subsidy_quantity=D(12000), **zero)
    SubsidyResult.objects.create(run=run, uscc="91340200MA2N8K3L1T", name="芜湖测试科技有限公司", net=-5,
                                 eligible=True, subsidy_quantity=D(0), **zero)
    result = run_trial(default_pack(), "clause3_price_yuan_per_card_hour", D("2.5"))
    assert result.compute_run == run and result.total.count == 1
    (row,) = result.rows
    assert row.before_amount is None and row.after_amount == D("3.00")  # 12000 卡时 × 2.5 元 = 3 万元
    assert row.city == "合肥市" and result.total.pending_before == 1 and result.total.after == D(3)
    by_ratio = run_trial(default_pack(), "clause3_ratio", D("0.2"), reference_price=D(10))
    assert by_ratio.rows[0].after_amount == D("2.40")  # 12000 × 10 元 × 20%
