"""The notifications page speaks the reader's language; the stored row stays Chinese (mailed, and
read by every member whatever their language)."""

import re
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.utils import translation

from duixian.applications.models import Notification
from duixian.applications.notifications import notify_transition

from .conftest import at, signin
from .test_forms_and_pages import create

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(autouse=True)
def _chinese_again_afterwards():
    """A request with the English cookie leaves English active in this thread: later tests expect Chinese."""
    yield
    translation.activate("zh-hans")


@pytest.fixture
def notified(client, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    app = create(client, name="Smart factory inspection model")
    app.reference = "DX2026-340100-000009"
    app.save(update_fields=["reference"])
    notify_transition(app, SimpleNamespace(action="submit", reason=""))
    notify_transition(app, SimpleNamespace(action="not_recommend", reason="材料不全"))
    return client


def test_notifications_in_english_keep_the_values_and_translate_the_words(notified):
    notified.cookies["django_language"] = "en"
    page = notified.get("/applications/notifications/").content.decode()
    assert "Application submitted: Smart factory inspection model" in page
    assert "Application number DX2026-340100-000009." in page and "7 May 2026, 17:00" in page
    assert "Not recommended by the city: Smart factory inspection model" in page
    # The clerk's own words are quoted as written, marked as Chinese for screen readers.
    assert 'Reason: <span lang="zh-Hans">材料不全</span>' in page
    cards = page.split("</h1>", 1)[1].split("</main>", 1)[0]  # (the flash of the draft's creation is above)
    assert HAN.findall(cards.replace("材料不全", "")) == []


def test_chinese_project_names_are_quoted_as_chinese(client, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    app = create(client, name="港口<调度>大模型应用")
    notify_transition(app, SimpleNamespace(action="withdraw", reason=""))
    client.cookies["django_language"] = "en"
    page = client.get("/applications/notifications/").content.decode()
    assert 'Application withdrawn: <span lang="zh-Hans">港口&lt;调度&gt;大模型应用</span>' in page


def test_notifications_stay_chinese_by_default_and_are_stored_in_chinese(notified):
    page = notified.get("/applications/notifications/").content.decode()
    assert "申报已提交：Smart factory inspection model" in page
    assert "申报编号 DX2026-340100-000009。所属地市归口管理部门将在2026年5月7日 17:00前完成审核推荐。" in page
    assert Notification.objects.filter(title="申报未获市级推荐：Smart factory inspection model", body="理由：材料不全").exists()


def test_a_notification_whose_text_no_longer_matches_is_shown_as_stored(notified):
    Notification.objects.filter(event="application.submit").update(body="旧版本的通知文字")
    notified.cookies["django_language"] = "en"
    assert "旧版本的通知文字" in notified.get("/applications/notifications/").content.decode()


@override_settings(DEMO_MODE=True)
def test_a_deadline_reminder_is_stored_in_chinese_and_read_in_english(client, complete_draft, users, time_machine):
    """The province moves the demo clock with English selected: the reminder it sends is stored in
    Chinese; the applicant reading in English gets it in English, the deadline statement too."""
    time_machine.move_to(at("2026-12-07 08:00:00"), tick=False)
    signin(client, users["province"])
    client.cookies["django_language"] = "en"
    assert client.post("/demo/clock/", {"preset": "custom", "moment": "2026-05-04 23:59"}).status_code == 302
    note = Notification.objects.get(event="deadline_reminder_1d", application=complete_draft)
    assert note.title == f"申报即将截止（不足1天）：{complete_draft.project_name}"
    assert "最后受理时刻：2026年5月5日 23:58:59（北京时间）" in note.body
    signin(client, users["hefei_applicant"])
    client.cookies["django_language"] = "en"
    page = client.get("/applications/notifications/").content.decode()
    assert "Application deadline approaching (less than 1 day): " in page
    assert "5 May 2026, 23:58:59" in page and "最后受理时刻" not in page
