"""HTTP hardening: CSP, framing, sniffing, referrer, cookies, CSRF, rate limits."""

import re
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from duixian.core.ratelimit import parse_rate, ratelimit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy_and_the_other_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/notice/"])
def test_public_pages_have_no_inline_script_the_policy_would_block(client, url):
    body = client.get(url).content.decode()
    inline = [m for m in re.findall(r"<script([^>]*)>", body) if "src=" not in m and "application/json" not in m]
    assert inline == []
    assert " style=\"" not in body


def test_home_countdown_script_is_a_static_file(client):
    body = client.get("/").content.decode()
    assert "duixian/countdown.js" in body


def test_session_and_csrf_cookies_are_secure_and_http_only(users, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client = Client()
    client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"username": "hefei_applicant", "password": PASSWORD})
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["secure"]


def test_https_is_recognised_only_behind_the_configured_proxy(settings):
    factory = RequestFactory()
    request = factory.get("/", HTTP_X_FORWARDED_PROTO="https")
    settings.SECURE_PROXY_SSL_HEADER = None
    assert not request.is_secure()  # a client cannot claim https by itself
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert request.is_secure()


def test_forms_without_a_csrf_token_are_refused(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "hefei_applicant", "password": PASSWORD})
    assert response.status_code == 403


def test_login_posts_are_limited_per_address(client, users, settings, time_machine):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    settings.LOGIN_RATE_PER_IP = "30/m"  # the default; read on each request
    for i in range(30):  # thirty different accounts from one machine
        assert client.post("/accounts/login/", {"username": f"nobody{i}", "password": "x"}).status_code == 200
    blocked = client.post("/accounts/login/", {"username": "hefei_applicant", "password": PASSWORD})
    assert blocked.status_code == 429 and "请求过于频繁" in blocked.content.decode()
    assert int(blocked["Retry-After"]) == 60
    # Another address is not affected, and the next minute starts afresh.
    assert client.post("/accounts/login/", {"username": "hefei_applicant", "password": PASSWORD},
                       REMOTE_ADDR="10.0.0.2").status_code == 302
    time_machine.shift(timedelta(seconds=60))
    assert Client().post("/accounts/login/", {"username": "wuhu_applicant", "password": PASSWORD}).status_code == 302


def test_ratelimit_decorator_answers_json_429_under_api(time_machine):
    time_machine.move_to("2026-04-20 10:00:30+08:00", tick=False)

    @ratelimit("2/m")
    def endpoint(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    assert endpoint(factory.post("/api/v1/evaluate")).status_code == 200
    assert endpoint(factory.post("/api/v1/evaluate")).status_code == 200
    refused = endpoint(factory.post("/api/v1/evaluate"))
    assert refused.status_code == 429 and refused["Retry-After"] == "30"
    import json

    assert "请求过于频繁" in json.loads(refused.content)["detail"]
    assert endpoint(factory.post("/api/v1/evaluate", REMOTE_ADDR="10.1.1.1")).status_code == 200


def test_client_address_comes_from_the_trusted_proxy_only(settings):
    from duixian.core.clients import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # the spoofed 6.6.6.6 is ignored


@pytest.mark.parametrize("rate", ["0/m", "x/m", "5/w", "5"])
def test_bad_rates_are_refused(rate):
    with pytest.raises(ValueError):
        parse_rate(rate)


def test_rate_limits_count_an_ipv6_client_by_its_network(settings):
    """Review of issue 16: every address of one IPv6 /64 belongs to one customer; counting each
    alone let one client pass any per-address limit by rotating its address."""
    from duixian.core.ratelimit import _client_key

    def key(address):
        return _client_key(RequestFactory().post("/", REMOTE_ADDR=address), None)

    settings.TRUSTED_PROXY_COUNT = 0
    assert key("2001:db8:1:2::1") == key("2001:db8:1:2:ffff:ffff:ffff:fffe") == "ip2001:db8:1:2::"
    assert key("2001:db8:1:3::1") != key("2001:db8:1:2::1")
    assert key("::ffff:198.51.100.7") == key("198.51.100.7") == "ip198.51.100.7"
    assert key("198.51.100.7") != key("198.51.100.8")
