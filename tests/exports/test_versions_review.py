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
