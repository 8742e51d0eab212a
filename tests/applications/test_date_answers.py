"""A date answer (项目发生日期) reads as a person writes it (issue 20 item 5): 2025年12月1日 on Chinese
pages, 1 December 2025 on English ones, not the stored 2025-12-01, on 确认信息 and on the clerk's
review page (both show the answers through one helper each)."""

import pytest

from tests.applications.conftest import at, signin
from tests.review.conftest import make_submitted

pytestmark = pytest.mark.django_db


def _row(label: str, value: str) -> str:
    return f"<th scope=\"row\">{label}</th><td>{value}</td>"


@pytest.mark.parametrize("language, label, day", [
    ("zh-hans", "项目发生日期", "2025年12月1日"),
    ("en", "Date of the project", "1 December 2025"),
])
def test_check_page_shows_a_date_answer_in_the_readers_language(client, users, complete_draft, language, label, day):
    signin(client, users["hefei_applicant"])
    client.cookies["django_language"] = language
    page = client.get(f"/applications/{complete_draft.pk}/check/").content.decode()
    assert "2025-12-01" not in page
    assert day in page
    assert label in page


@pytest.mark.parametrize("language, label, day", [
    ("zh-hans", "项目发生日期", "2025年12月1日"),
    ("en", "Date of the project", "1 December 2025"),
])
def test_review_page_shows_a_date_answer_in_the_readers_language(client, users, time_machine, language, label, day):
    app = make_submitted(users["hefei_applicant"], "医院影像辅助诊断大模型应用", time_machine=time_machine)
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    client.cookies["django_language"] = language
    page = client.get(f"/review/{app.pk}/").content.decode()
    assert "2025-12-01" not in page
    assert _row(label, day) in page
