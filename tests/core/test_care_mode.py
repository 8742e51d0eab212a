"""The 适老化 switch (issue 20): a cookie, set and cleared by a POST, and back to the same page."""

from duixian.core import care_mode


def test_switching_on_sets_a_cookie_for_a_year_and_returns_to_the_page(client, db):
    response = client.post("/care-mode/", {"care": "1", "next": "/notice/"})
    assert response.status_code == 302 and response["Location"] == "/notice/"
    cookie = response.cookies[care_mode.COOKIE]
    assert cookie.value == "1" and cookie["max-age"] == care_mode.ONE_YEAR and cookie["httponly"]
    page = client.get("/notice/")
    assert b'<html lang="zh-hans" class="care">' in page.content
    assert b'aria-pressed="true"' in page.content


def test_switching_off_clears_it(client, db):
    client.post("/care-mode/", {"care": "1", "next": "/"})
    response = client.post("/care-mode/", {"care": "0", "next": "/"})
    assert response.cookies[care_mode.COOKIE]["max-age"] == 0
    assert b'class="care"' not in client.get("/").content


def test_it_never_sends_the_reader_to_another_site(client, db):
    response = client.post("/care-mode/", {"care": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_get_changes_nothing(client, db):
    assert client.get("/care-mode/?care=1").status_code == 405
