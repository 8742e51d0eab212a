"""The province dashboard (numbers from one query, same in table and chart, paper receipts) and money."""

import json
import re
from datetime import date
from decimal import Decimal

import pytest

from duixian.applications.models import ApplicationState as S
from duixian.applications.workflow import application_transition
from duixian.audit.models import AuditEvent
from duixian.decisions.models import FundingRecord
from duixian.decisions.selectors import progress
from duixian.decisions.services import DecisionError, funding_record, paper_receipt_record
from duixian.policy.pack import default_pack
from tests.applications.conftest import at

from .conftest import make_recommended

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(users, time_machine):
    """合肥: two recommended (24 + 20) and one expired (10); 芜湖: one recommended (18.50), one not (5)."""
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    ha, hc, wa, wc = (users[k] for k in ("hefei_applicant", "hefei_clerk", "wuhu_applicant", "wuhu_clerk"))
    make_recommended(ha, hc, "甲项目", amount=24)
    make_recommended(ha, hc, "乙项目", amount=20)
    late = make_recommended(ha, hc, "丙项目", amount=10, recommend=False)
    make_recommended(wa, wc, "丁项目", amount="18.50")
    refused = make_recommended(wa, wc, "戊项目", amount=5, recommend=False)
    application_transition(refused, "not_recommend", wc, reason="场景尚未投入使用")
    time_machine.move_to(at("2026-05-08 09:00:00"), tick=False)
    application_transition(late, "expire", None)


def test_progress_is_one_query(spread, django_assert_num_queries):
    with django_assert_num_queries(1):
        report = progress()
    hefei = next(r for r in report.cities if r.code == "340100")
    wuhu = next(r for r in report.cities if r.code == "340200")
    assert (hefei.counts.total, hefei.counts.recommended, hefei.counts.expired) == (3, 2, 1)
    assert (hefei.counts.amount_requested, hefei.counts.amount_recommended) == (Decimal("54.00"), Decimal("44.00"))
    assert (wuhu.counts.total, wuhu.counts.recommended, wuhu.counts.not_recommended) == (2, 1, 1)
    assert len(report.cities) == 16 and report.total.total == 5
    clause2 = next(r for r in report.clauses if r.code == "2")
    assert clause2.counts.amount_requested == Decimal("77.50")


def test_dashboard_table_and_chart_show_the_same_numbers(spread, users, client):
    client.force_login(users["province"])
    text = client.get("/decisions/").content.decode()
    row = re.search(r'<tr data-city="340100">(.*?)</tr>', text, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    # 已提交, 待市级审核, 已推荐, 退回, 不予推荐, 逾期, 撤回, 拟申请金额, 其中已推荐
    assert cells == ["3", "0", "2", "0", "0", "1", "0", "54.00", "44.00"]
    chart = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', text, re.S).group(1))
    hefei_index = chart["cities"].index("合肥市")
    series = {s["key"]: s["data"][hefei_index] for s in chart["series"]}
    assert (series["recommended"], series["expired"], series["waiting"]) == (2, 1, 0)
    assert "vendor/echarts.min.js" in text


def test_paper_receipts_on_time_and_late(users, client, time_machine):
    time_machine.move_to(at("2026-05-08 09:00:00"), tick=False)
    province = users["province"]
    paper_receipt_record(batch_id=default_pack().batch_id, city_code="340100", received_at=at("2026-05-07 16:59:59"),
                         items=["推荐函", "项目申报汇总表（附件2）", "兑现材料（加盖公章）"], copies=2, user=province)
    paper_receipt_record(batch_id=default_pack().batch_id, city_code="340200", received_at=at("2026-05-07 17:00:00"),
                         items=["推荐函", "项目申报汇总表（附件2）"], copies=1, user=province)
    client.force_login(province)
    text = client.get("/decisions/").content.decode()
    hefei = re.search(r'<tr data-city="340100">(.*?)</tr>', text.split('id="receipt-table"')[1], re.S).group(1)
    wuhu = re.search(r'<tr data-city="340200">(.*?)</tr>', text.split('id="receipt-table"')[1], re.S).group(1)
    assert "2026年5月7日 16:59" in hefei and "按时" in hefei and "不齐全" not in hefei
    assert "逾期" in wuhu and "不齐全" in wuhu and wuhu.count("✓ 已收") == 2 and wuhu.count("✗ 未收") == 1
    assert '<th scope="col">兑现材料（加盖公章）</th>' in text  # the pack's items are the columns
    assert text.split('id="receipt-table"')[1].count("尚未收到") == 14
    assert AuditEvent.objects.filter(action="decisions.paper_receipt").count() == 2


def test_receipt_form_in_beijing_time(users, client, time_machine):
    time_machine.move_to(at("2026-05-08 09:00:00"), tick=False)
    client.force_login(users["province"])
    response = client.post("/decisions/receipts/340100/", {
        "received_at": "2026-05-07T16:30", "items": ["推荐函", "项目申报汇总表（附件2）", "兑现材料（加盖公章）"],
        "copies": "2"})
    assert response.status_code == 302
    from duixian.decisions.models import PaperReceipt

    assert PaperReceipt.objects.get().received_at == at("2026-05-07 16:30:00")
    assert client.get("/decisions/receipts/999999/").status_code == 404


def test_dashboard_is_for_the_province_only(users, client):
    for role in ("hefei_clerk", "expert", "hefei_applicant", "audit_admin"):
        client.force_login(users[role])
        assert client.get("/decisions/").status_code == 404, role


# ---- money ---------------------------------------------------------------------------------------


def test_payment_waits_for_the_end_of_the_period(published, users):
    app = published.items.get(number=1).application
    with pytest.raises(DecisionError, match="公示期至2026年6月25日止，公示期结束后方可登记"):
        funding_record(app, kind="payment", on_date=date(2026, 6, 18), amount="24", voucher="PZ-1", user=users["province"])


def test_allocation_payment_and_recovery(published, users, time_machine):
    time_machine.move_to(at("2026-07-01 10:00:00"), tick=False)
    province = users["province"]
    app = published.items.get(number=1).application  # approved 24.00
    funding_record(app, kind="allocation", on_date=date(2026, 7, 1), amount="24", voucher="皖科资〔2026〕12号",
                   user=province)
    with pytest.raises(DecisionError, match="累计拨付金额不能超过核定金额 24.00 万元"):
        funding_record(app, kind="payment", on_date=date(2026, 7, 1), amount="24.01", voucher="PZ-1", user=province)
    funding_record(app, kind="payment", on_date=date(2026, 7, 1), amount="24", voucher="PZ-1", user=province)
    app.refresh_from_db()
    assert app.state == S.PAID
    assert app.history.filter(action="pay", reason__contains="PZ-1").exists()
    with pytest.raises(DecisionError, match="资金追回须填写追回原因"):
        funding_record(app, kind="recovery", on_date=date(2026, 7, 1), amount="5", voucher="ZH-1", user=province)
    with pytest.raises(DecisionError, match="追回金额不能超过已拨付金额 24.00 万元"):
        funding_record(app, kind="recovery", on_date=date(2026, 7, 1), amount="30", voucher="ZH-1", reason="x",
                       user=province)
    funding_record(app, kind="recovery", on_date=date(2026, 7, 1), amount="24", voucher="ZH-1",
                   reason="项目未按承诺实施", user=province)
    assert FundingRecord.objects.filter(application=app).count() == 3
    events = set(app.organisation.notifications.values_list("event", flat=True))
    assert {"decisions.allocation", "application.pay", "decisions.recovery"} <= events
    assert AuditEvent.objects.filter(action="decisions.funding_recovery", object_id=str(app.pk)).exists()


def test_funding_form_on_the_application_page(published, users, client, time_machine):
    time_machine.move_to(at("2026-07-01 10:00:00"), tick=False)
    app = published.items.get(number=2).application
    client.force_login(users["province"])
    # Paid out of what was allocated (issue 15, item 6b): nothing allocated yet, so refused.
    response = client.post(f"/decisions/applications/{app.pk}/funding/", {
        "kind": "payment", "on_date": "2026-07-01", "amount": "20", "voucher": "PZ-2"})
    assert response.status_code == 200 and "累计拨付金额不能超过已下达金额 0.00 万元" in response.content.decode()
    response = client.post(f"/decisions/applications/{app.pk}/funding/", {
        "kind": "allocation", "on_date": "2026-07-01", "amount": "20", "voucher": "皖科资2号"})
    assert response.status_code == 302
    response = client.post(f"/decisions/applications/{app.pk}/funding/", {
        "kind": "payment", "on_date": "2026-07-01", "amount": "20", "voucher": "PZ-2"})
    assert response.status_code == 302
    page = client.get(f"/decisions/applications/{app.pk}/").content.decode()
    assert "PZ-2" in page and "已兑现拨付" in page
