"""Issue 15 item 8: no input answers with a server error.

Every URL pattern of the resolver (walked recursively, the machine API included) is requested
with hostile path parameters — integers past 64 bits, NUL and other control characters, a
300-character code, codes that do not exist — and a hostile query string, by an anonymous
visitor and by every role of the `users` fixture, with GET and with an empty POST. Any 5xx
or exception fails, listing every offending request (not just the first).
"""

from __future__ import annotations

import logging
import re
import time
from itertools import zip_longest

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.applications.conftest import at

pytestmark = pytest.mark.django_db

# Per converter: past 64 bits, then the largest 64-bit key (valid, names nothing); NUL and other
# control characters (with a right-to-left override and a non-character), 300 characters, a
# code that names nothing.
KEYS = ["9223372036854775808", "9223372036854775807"]
TEXT = ["%00%01%0B%E2%80%AE%EF%BF%BF", "x" * 300, "999999"]
HOSTILE = {"int": KEYS, "id": KEYS, "str": TEXT, "city": TEXT, "path": ["%00/..", "x" * 300],
           "slug": ["x" * 300, "no-such-thing"], "uuid": ["00000000-0000-0000-0000-000000000000"]}
# No NUL in the query and the form: RefuseNulMiddleware answers 400 to those before any view runs,
# which would hide what the views do with the rest (tests/security/test_control_characters.py).
HOSTILE_QUERY = ("?page=9223372036854775808&q=%01%0B&state=%0B&clause=%1F&city=x&year=99999999999999999999"
                 "&sort=%7F&pk=-1&id=9223372036854775808")
# POSTed with every request: the field names the platform's forms use, with hostile values.
HOSTILE_FORM = {name: value for names, value in (
    (("project_name", "name", "reason", "note", "contact_name", "title", "body", "q"), "项目\x01\x0b名称"),
    (("expected_state", "state", "action", "clause", "choice", "city_code", "role", "token"), "\x01" + "x" * 300),
    (("pk", "id", "amount", "amount_wan", "version", "year", "page"), "9223372036854775808"),
) for name in names}
LOGIN = "/accounts/login/"
PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _routes(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _hostile_urls(route: str) -> list[str]:
    route = route.lstrip("^").rstrip("$")
    if any(ch in route for ch in "()[]*+?\\"):  # a regular expression route: nothing to fill in
        return ["/" + route]
    params = [(m.group("conv") or "str") for m in PARAM.finditer(route)]
    if not params:
        return ["/" + route]
    columns = [HOSTILE.get(conv, HOSTILE["str"]) for conv in params]
    urls = []
    for values in zip_longest(*columns):
        values = iter([v if v is not None else col[0] for v, col in zip(values, columns)])
        urls.append("/" + PARAM.sub(lambda m: next(values), route))
    return urls


def test_hostile_parameters_as_every_role_never_make_a_server_error(users, time_machine, settings, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")  # thousands of expected 404 lines
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    settings.RATELIMIT_ENABLED = False  # a 429 would hide what the view does with the input
    clients = {"anonymous": Client(raise_request_exception=True)}
    for name, user in users.items():
        clients[name] = Client(raise_request_exception=True)
        clients[name].force_login(user)
    urls = sorted({url for route in _routes(get_resolver().url_patterns) for url in _hostile_urls(route)})
    assert len(urls) > 150
    failures, started, count = [], time.monotonic(), 0
    for url in urls:
        for who, client in clients.items():
            for method in ("get", "post"):
                target = url + HOSTILE_QUERY if method == "get" else url
                count += 1
                try:
                    response = client.get(target) if method == "get" else client.post(target, HOSTILE_FORM)
                    if who != "anonymous" and response.status_code == 302 and response.url.startswith(LOGIN):
                        # an earlier URL (logout, a password change) ended this session: sign in again
                        client.force_login(users[who])
                        response = client.get(target) if method == "get" else client.post(target, HOSTILE_FORM)
                    status = response.status_code
                except Exception as exc:  # noqa: BLE001 — every failure is listed below
                    failures.append(f"{method.upper()} {target[:160]} as {who}: {type(exc).__name__}: {str(exc)[:120]}")
                    continue
                if status >= 500:
                    failures.append(f"{method.upper()} {target[:160]} as {who}: {status}")
    elapsed = time.monotonic() - started
    print(f"{count} requests in {elapsed:.1f} s")
    assert failures == [], "\n".join(failures[:80]) + f"\n… {len(failures)} in all"
