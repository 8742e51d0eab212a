"""A reviewer's attacks on the archived 汇总表 / 推荐函 versions (issue 15, item 1)."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from duixian.exports.models import ExportVersion

from .conftest import at, signin

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", ["0001-01-01", "1979-12-31", "2026-03-01", "9999-12-31", "2107-12-31"])
def test_a_letter_dated_outside_the_policy_round_is_refused_and_never_archived(client, users, recommended,
                                                                                time_machine, day):
    """A 推荐函 dated in year 1 was archived as the city's official version 1; 9999-12-31 was a
    500 (struct.error: a ZIP entry cannot carry that year)."""
    time_machine.move_to(at("2026-05-06 09:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    response = client.get("/exports/city/340100/letter.docx", {"date": day})
    assert response.status_code == 404
    assert not ExportVersion.objects.exists()


def test_a_letter_may_be_dated_from_the_notice_to_a_month_ahead(client, users, recommended, time_machine):
    time_machine.move_to(at("2026-05-06 09:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    assert client.get("/exports/city/340100/letter.docx", {"date": "2026-05-05"}).status_code == 200
    assert client.get("/exports/city/340100/letter.docx", {"date": "2026-06-06"}).status_code == 200  # 31 days
    assert client.get("/exports/city/340100/letter.docx", {"date": "2026-06-07"}).status_code == 404
    assert client.get("/exports/city/340100/letter.docx", {"date": "2026-04-08"}).status_code == 404  # before 4-9
    assert list(ExportVersion.objects.order_by("number").values_list("issued_on", flat=True)) == [
        date(2026, 5, 5), date(2026, 6, 6)]


def test_the_command_line_refuses_the_same_dates(recommended, tmp_path, time_machine):
    time_machine.move_to(at("2026-05-06 09:00:00"), tick=False)
    with pytest.raises(CommandError, match="落款日期"):
        call_command("export", "letter", "--city", "340100", "--date", "9999-12-31", "--out", str(tmp_path / "l.docx"))
    assert not (tmp_path / "l.docx").exists()


def test_the_clerks_files_stay_one_version_through_a_partial_payment_and_an_upheld_objection(
        client, users, recommended, time_machine):
    from duixian.decisions.services import (
        decision_approve, funding_record, objection_answer, objection_submit, publication_create,
    )

    first, second = recommended
    time_machine.move_to(at("2026-05-06 09:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    urls = ("/exports/city/340100/summary.xlsx", "/exports/city/340100/summary.docx",
            "/exports/city/340100/letter.docx?date=2026-05-06")
    before = [client.get(url).content for url in urls]
    province = users["province"]
    time_machine.move_to(at("2026-05-20 10:00:00"), tick=False)
    decision_approve(first, amount="24", user=province, without_panel_reason="专家组线下评审")
    decision_approve(second, amount="100", user=province, without_panel_reason="专家组线下评审")
    time_machine.move_to(at("2026-06-18 10:00:00"), tick=False)
    first.refresh_from_db()
    second.refresh_from_db()
    publication = publication_create(applications=[first, second], working_days=5, title="公示", user=province)
    objection = objection_submit(publication=publication, item=None, name="赵敏", phone="13705516482", body="不实")
    objection_answer(objection, answer="经核实成立。", outcome="upheld", item=publication.items.get(application=second),
                     user=province)
    time_machine.move_to(at("2026-07-01 10:00:00"), tick=False)
    funding_record(first, kind="allocation", on_date=date(2026, 7, 1), amount="24", voucher="皖科资1号", user=province)
    funding_record(first, kind="payment", on_date=date(2026, 7, 1), amount="10", voucher="PZ-1", user=province)
    first.refresh_from_db()
    assert first.state == "partly_paid"
    signin(client, users["hefei_clerk"])
    assert [client.get(url).content for url in urls] == before
    assert sorted(ExportVersion.objects.values_list("kind", "number")) == [
        ("letter_docx", 1), ("summary_docx", 1), ("summary_xlsx", 1)]
    page = client.get("/review/").content.decode()
    assert '<strong id="recommended-count">2</strong>' in page
