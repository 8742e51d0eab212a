"""Chinese first: an English browser still gets Chinese until the visitor picks English."""

import pytest

pytestmark = pytest.mark.django_db


def test_english_browser_gets_chinese_by_default(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "时间安排" in page and 'lang="zh-hans"' in page


def test_the_language_switch_gives_english_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert 'lang="zh-hans"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
