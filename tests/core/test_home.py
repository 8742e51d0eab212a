import re

import pytest
from django.test import override_settings

from duixian.core.models import Announcement
from duixian.policy.pack import default_pack

pytestmark = pytest.mark.django_db


def test_home_page_shows_batch_clauses_and_every_city_contact(client):
    page = client.get("/").content.decode()
    assert "2026" in page and "若干政策" in page
    # The five clauses and how each is handled in this batch.
    assert "免申即享，无需申报" in page
    assert page.count("在线申报") >= 3
    assert "3月15日" in page
    # 附件1: the province and all 16 cities with their phones as published.
    assert "0551-62626995" in page
    for city in default_pack().contacts.cities:
        assert city.city in page and city.phone in page
    assert re.search(r"<tr><td>黄山市</td><td>0559-2357162</td></tr>", page)
    # Helpdesk and where the stamped materials go.
    assert "13023098652" in page and "13155113928" in page
    assert "马鞍山路" in page and "0551-62999803" in page


def test_home_page_countdown_targets_the_exact_close(client, time_machine):
    time_machine.move_to("2026-05-05T23:00:00+08:00", tick=False)
    page = client.get("/").content.decode()
    assert 'data-deadline="2026-05-05T23:59:00+08:00"' in page
    assert "申报进行中" in page


def test_announcements_written_by_the_province_appear_on_the_home_page(client, users):
    client.force_login(users["province"])
    response = client.post("/province/announcements/", {"kind": "notice", "title": "关于延长申报时间的补充通知", "body": "申报截止时间延长至5月8日。"})
    assert response.status_code == 302
    client.logout()
    assert "关于延长申报时间的补充通知" in client.get("/").content.decode()


def test_applicants_cannot_edit_announcements(client, users):
    client.force_login(users["hefei_applicant"])
    response = client.post("/province/announcements/", {"kind": "notice", "title": "伪造公告", "body": "x"})
    assert response.status_code == 404
    assert not Announcement.objects.exists()


def test_demo_clock_banner_and_moving_it(client, users):
    with override_settings(DEMO_MODE=True):
        client.force_login(users["province"])
        response = client.post("/demo/clock/", {"preset": "after_close"})
        assert response.status_code == 302
        page = client.get("/").content.decode()
        assert "演示时钟" in page
        assert "申报已截止，各市审核推荐中" in page


def test_demo_clock_cannot_be_switched_on_outside_demo_mode(client, users):
    client.force_login(users["province"])
    assert client.post("/demo/clock/", {"preset": "after_close"}).status_code == 404
