"""A reviewer's attacks on the province's guards (issue 15, item 6): amounts no form should
crash on, a double click that records one payment twice, a second province user's answer to an
objection that someone else answered first, and a batch approval whose reason bypasses the
control-character rule of the forms."""

from datetime import date

import pytest

from duixian.applications.models import ApplicationState as S
from duixian.decisions.models import Decision, FundingRecord
from duixian.decisions.services import DecisionError, funding_record, parse_amount
from tests.applications.conftest import at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["1e30", "1E+27", "9e999999", "1e-30"])
def test_an_amount_with_a_huge_or_tiny_exponent_is_refused_in_chinese(value):
    with pytest.raises(DecisionError) as refused:
        parse_amount(value)
    assert refused.value.field == "amount" and "万元" in refused.value.message


def test_the_funding_form_refuses_1e30_instead_of_a_500(published, users, client, time_machine):
    time_machine.move_to(at("2026-07-01 10:00:00"), tick=False)
    app = published.items.get(number=1).application
    client.force_login(users["province"])
    response = client.post(f"/decisions/applications/{app.pk}/funding/", {
        "kind": "allocation", "on_date": "2026-07-01", "amount": "1e30", "voucher": "皖科资1号"})
    assert response.status_code == 200 and "金额过大" in response.content.decode()
    assert not FundingRecord.objects.exists()


def test_a_double_click_does_not_record_the_same_voucher_twice(published, users, client, time_machine):
    time_machine.move_to(at("2026-07-01 10:00:00"), tick=False)
    app = published.items.get(number=1).application  # approved 24.00
    client.force_login(users["province"])
    url = f"/decisions/applications/{app.pk}/funding/"
    assert client.post(url, {"kind": "allocation", "on_date": "2026-07-01", "amount": "24",
                             "voucher": "皖科资1号"}).status_code == 302
    payment = {"kind": "payment", "on_date": "2026-07-01", "amount": "10", "voucher": "PZ-1"}
    assert client.post(url, payment).status_code == 302
    again = client.post(url, payment)  # the same form sent twice
    assert again.status_code == 200
    assert "凭证号或文号 PZ-1 已登记" in again.content.decode()
    assert list(app.funding.filter(kind="payment").values_list("amount_wan", flat=True)) == [10]
    app.refresh_from_db()
    assert app.state == S.PARTLY_PAID
    # The voucher is compared as typed without its surrounding spaces.
    with pytest.raises(DecisionError, match="PZ-1 已登记"):
        funding_record(app, kind="payment", on_date=date(2026, 7, 1), amount="4", voucher=" PZ-1 ",
                       user=users["province"])


@pytest.mark.parametrize("reason", ["\x01\x0b专家组线下评审", "专家组线下评审\x00", "理" * 1001])
def test_the_batch_approval_holds_its_reason_to_the_rule_of_the_form(recommended, users, client, reason):
    app = recommended[0]  # clause 二, no expert assigned
    client.force_login(users["province"])
    response = client.post("/decisions/applications/batch/", {
        "action": "approve", "selected": [str(app.pk)], f"amount_{app.pk}": "24", "without_panel_reason": reason},
        follow=True)
    page = response.content.decode()
    assert "控制字符" in page or "1000" in page
    app.refresh_from_db()
    assert app.state == S.RECOMMENDED and not Decision.objects.exists()
    with pytest.raises(DecisionError) as refused:
        from duixian.decisions.services import decision_approve

        decision_approve(app, amount="24", user=users["province"], without_panel_reason=reason)
    assert refused.value.field == "without_panel_reason"


def test_the_batch_rejection_reason_is_held_to_the_same_rule(recommended, users, client):
    app = recommended[0]
    client.force_login(users["province"])
    response = client.post("/decisions/applications/batch/", {
        "action": "reject", "selected": [str(app.pk)], "reason": "示范\x07效果不明显"}, follow=True)
    assert "控制字符" in response.content.decode()
    app.refresh_from_db()
    assert app.state == S.RECOMMENDED


def test_a_second_answer_to_an_answered_objection_says_why_it_was_not_recorded(published, users, client):
    """Two province users answer the same objection: the second sees that it was answered first,
    instead of the page reloading silently with the first one's outcome."""
    from duixian.decisions.services import objection_answer, objection_submit

    item = published.items.get(number=1)
    objection = objection_submit(publication=published, item=None, name="赵敏", phone="13705516482", body="重复申报")
    client.force_login(users["province"])
    page = client.get(f"/decisions/publications/{published.pk}/").content.decode()  # the form, still open
    assert f'name="o{objection.pk}-outcome"' in page
    objection_answer(objection, answer="经核实，异议不成立。", outcome="dismissed", user=users["province"])
    response = client.post(f"/decisions/objections/{objection.pk}/answer/", {
        f"o{objection.pk}-outcome": "upheld", f"o{objection.pk}-item": str(item.pk),
        f"o{objection.pk}-answer": "经核实，异议成立。"}, follow=True)
    assert "不能重复答复" in response.content.decode()
    objection.refresh_from_db()
    assert objection.outcome == "dismissed"


def test_a_second_decision_on_a_decided_application_says_why(recommended, users, client):
    from duixian.decisions.services import decision_reject

    app = recommended[1]
    client.force_login(users["province"])
    decision_reject(app, reason="示范效果不明显", user=users["province"])  # another province user, first
    response = client.post(f"/decisions/applications/{app.pk}/approve/", {
        "amount": "20", "expected_state": "recommended", "without_panel_reason": "专家组线下评审"}, follow=True)
    page = response.content.decode()
    assert "评审不通过" in page and ("不能重复决定" in page or "已由" in page)
    response = client.post(f"/decisions/applications/{app.pk}/reject/", {
        "reason": "另一理由", "expected_state": "recommended"}, follow=True)
    page = response.content.decode()
    assert "不能重复决定" in page or "已由" in page


@pytest.mark.parametrize("day", [date(2000, 1, 1), date(2026, 6, 25)])  # 公示 6-18 … 6-25 (5 working days)
def test_money_is_not_dated_before_the_publication_ended(published, users, time_machine, day):
    """Allocation and payment are registered only after the 公示; a date inside the period (or in
    2000) on the record would contradict that."""
    time_machine.move_to(at("2026-07-01 10:00:00"), tick=False)
    assert published.last_day == date(2026, 6, 25)
    app = published.items.get(number=1).application
    with pytest.raises(DecisionError, match="日期不能早于公示期结束后的 2026年6月26日") as refused:
        funding_record(app, kind="allocation", on_date=day, amount="24", voucher="皖科资1号", user=users["province"])
    assert refused.value.field == "on_date"
    funding_record(app, kind="allocation", on_date=date(2026, 6, 26), amount="24", voucher="皖科资1号",
                   user=users["province"])
    with pytest.raises(DecisionError, match="日期不能早于"):
        funding_record(app, kind="payment", on_date=day, amount="24", voucher="PZ-1", user=users["province"])


def test_a_rejection_reason_may_be_as_long_as_the_citys_but_no_longer(recommended, users, client):
    app = recommended[1]
    client.force_login(users["province"])
    response = client.post(f"/decisions/applications/{app.pk}/reject/", {"reason": "理" * 2001,
                                                                         "expected_state": "recommended"})
    assert response.status_code == 200 and "2000" in response.content.decode()
    response = client.post(f"/decisions/applications/{app.pk}/reject/", {"reason": "理" * 2000,
                                                                         "expected_state": "recommended"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == S.REJECTED


def test_the_batch_checks_only_the_reason_of_the_action_chosen(recommended, users, client):
    """Text left in the 不通过理由 box does not stop a batch approval (and the reverse)."""
    app = recommended[0]
    client.force_login(users["province"])
    client.post("/decisions/applications/batch/", {
        "action": "approve", "selected": [str(app.pk)], f"amount_{app.pk}": "24", "reason": "草稿\x07",
        "without_panel_reason": "专家组线下评审"})
    app.refresh_from_db()
    assert app.state == S.APPROVED
