"""The applicant's funding notifications: stored in Chinese (dates too, whatever the province's
language), shown in the reader's language on the notifications page."""

import re
from datetime import date

import pytest
from django.utils import translation

from duixian.applications.models import Notification
from duixian.decisions.services import funding_record

from .conftest import at

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(autouse=True)
def _chinese_again_afterwards():
    """A request with the English cookie leaves English active in this thread: later tests expect Chinese."""
    yield
    translation.activate("zh-hans")


def test_funding_notifications_are_stored_in_chinese_and_shown_in_english(published, users, client, time_machine):
    time_machine.move_to(at("2026-07-01 10:00:00"), tick=False)
    app = published.items.get(number=1).application
    with translation.override("en"):  # the province works in English: what is stored stays Chinese
        funding_record(app, kind="allocation", on_date=date(2026, 7, 1), amount="24", voucher="WK-2026-12",
                       user=users["province"])
    note = Notification.objects.get(event="decisions.allocation")
    assert note.title == f"兑现资金已下达：{app.project_name}"
    assert note.body == "2026年7月1日下达 24.00 万元，文号 WK-2026-12。"
    client.force_login(app.organisation.members.first())
    client.cookies["django_language"] = "en"
    page = client.get("/applications/notifications/").content.decode()
    assert "Redemption funds allocated: " in page
    assert "Allocated on 1 July 2026: 24.00 ten-thousand yuan (万元), document number WK-2026-12." in page
