"""Every public (login_not_required) page that can write is rate-limited; the ones that are not
limited write nothing, whatever an anonymous visitor sends them. A new public view fails here
until it is limited or listed below as read-only."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from duixian.api.v1 import api
from tests.decisions.conftest import _fast_passwords, published, recommended  # noqa: F401

# name → why it may stay unlimited (it stores nothing for an anonymous visitor)
READ_ONLY = {
    "core:home": "reads announcements",
    "core:notice": "the notice text",
    "core:notice_text": "the notice text",
    "ops:healthz": "answers ok",
    "policy:choose": "lists clauses",
    "policy:check": "self-check: evaluates in memory, stores nothing",
    "policy:notice": "the notice, sentence by sentence",
    "public:publications": "reads the 公示 list",
    "public:publication": "reads one 公示",
    "public:objection_done": "reads the reference from the session",
    "set_language": "sets a cookie only",
    "core:care_mode": "sets a cookie only (适老化)",
    "guidance:index": "lists the clauses and the FAQ",
    "guidance:clause": "the quoted notice and the 解读 of a clause",
    "guidance:search": "quotes passages matching a question; stores nothing",
}
# anonymous writes and the setting that limits each
LIMITED = {
    "accounts:login": "LOGIN_RATE_PER_IP",
    "accounts:password_reset_confirm": "LOGIN_RATE_PER_IP",
    "accounts:oidc_start": "LOGIN_RATE_PER_IP",  # unified identity (issue 21): the login's state in a session
    "accounts:oidc_callback": "LOGIN_RATE_PER_IP",  # signs in, or audits the refusal
    "accounts:oidc_link": "LOGIN_RATE_PER_IP",  # a password guess, like the sign-in form
    "orgs:register": "RATE_LIMIT_REGISTER",
    "orgs:join": "RATE_LIMIT_JOIN",
    "public:objection": "RATE_LIMIT_OBJECTION",
    "public:objection_lookup": "RATE_LIMIT_OBJECTION",
    "public:publication_xlsx": "RATE_LIMIT_PUBLIC_DOWNLOAD",
    "tracking:lookup": "RATE_LIMIT_STATUS_LOOKUP",
}


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry.callback


def _public_views() -> dict:
    return {name: view for name, view in _walk(get_resolver().url_patterns)
            if getattr(view, "login_required", True) is False}


def test_every_public_view_is_limited_or_known_to_write_nothing():
    public = _public_views()
    unlimited = {name for name, view in public.items() if not hasattr(view, "ratelimit")}
    assert unlimited == set(READ_ONLY), "a public view must be rate-limited or listed in READ_ONLY with a reason"
    limited = {name: view.ratelimit for name, view in public.items() if hasattr(view, "ratelimit")}
    assert {name: info["setting"] for name, info in limited.items()} == LIMITED
    for name, info in limited.items():  # the limit covers POST (GET too for the audited download)
        assert info["methods"] is None or "POST" in info["methods"], name


def test_anonymous_api_operations_that_are_not_reads_are_limited():
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                if operation.auth_callbacks or set(operation.methods) <= {"GET", "HEAD"}:
                    continue
                assert getattr(operation.view_func, "ratelimit", None), f"{path} is anonymous and not limited"


def _row_counts() -> dict:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_the_read_only_public_pages_store_nothing_for_get_or_post(published):  # noqa: F811
    urls = {  # name → (url, what a GET answers)
        "core:home": ("/", 200), "core:notice": ("/notice/", 200), "core:notice_text": ("/notice/text/", 200),
        "ops:healthz": ("/healthz", 200), "policy:choose": ("/policy/", 200),
        "policy:check": ("/policy/2/?answered=1", 200), "policy:notice": ("/policy/notice/", 200),
        "public:publications": ("/public/gongshi/", 200),
        "public:publication": (f"/public/gongshi/{published.pk}/", 200),
        "public:objection_done": (f"/public/gongshi/{published.pk}/objection/done/", 404),  # no objection sent
        "set_language": ("/i18n/setlang/", 302), "core:care_mode": ("/care-mode/", 405),
        "guidance:index": ("/guide/", 200), "guidance:clause": ("/guide/clause/2/", 200),
        "guidance:search": ("/guide/search/?q=场景需要投入使用吗", 200),
    }
    assert set(urls) == set(READ_ONLY)
    before = _row_counts()
    for name, (url, status) in urls.items():
        client = Client()
        assert client.get(url).status_code == status, name
        posted = client.post(url, {"language": "en", "next": "/", "name": "x", "body": "x", "username": "x"})
        assert posted.status_code < 500, name
        assert _row_counts() == before, f"{name} stored something for an anonymous visitor"
