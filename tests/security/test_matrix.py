"""The authorization matrix: every URL × every role × objects of its own and another scope.

The URLs come from the resolver, so a new app's pages are picked up without touching this
file; what each role may see comes from the app's `access.py` (duixian/accounts/access.py
explains the format). A leak — a page answered to a role that is not declared for it, or an
object of another organisation or city answered to a role limited to its own — fails.
"""

from __future__ import annotations

import os

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from duixian.accounts.access import ALL, OWN, Scope, collect
from duixian.accounts.roles import Role
from tests.conftest import make_org, make_user, otp_login

REFUSED = {302, 403, 404, 405}
SCOPED_ROLES = {Role.APPLICANT, Role.CITY_CLERK}


def _walk(patterns, namespace="", prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


def _machine_api(route: str) -> bool:
    return route.lstrip("^").startswith("api/")  # token-authenticated machine API: not session pages


ALL_URLS = sorted({name: route for name, route in _walk(get_resolver().url_patterns) if not _machine_api(route)}.items())
DECLARED = collect()
URL_NAMES = [name for name, _ in ALL_URLS]


def test_every_url_is_declared():
    missing = [name for name in URL_NAMES if name not in DECLARED]
    stale = [name for name in DECLARED if name not in URL_NAMES]
    assert not stale, f"access.py declares URLs that no longer exist: {stale}"
    if missing:
        message = ("URLs without an access declaration (add them to duixian/<app>/access.py): "
                   + ", ".join(missing))
        if os.environ.get("DUIXIAN_STRICT_MATRIX"):
            pytest.fail(message)
        pytest.skip(message)


def _scope(tag: str, city_code: str, uscc: str) -> Scope:
    org = make_org(uscc, f"{tag}矩阵测试单位", city_code)
    users = {
        Role.APPLICANT: make_user(f"{tag}_m_applicant", Role.APPLICANT, organisation=org),
        Role.CITY_CLERK: make_user(f"{tag}_m_clerk", Role.CITY_CLERK, city_code=city_code),
        Role.PROVINCE: make_user(f"{tag}_m_province", Role.PROVINCE),
        Role.EXPERT: make_user(f"{tag}_m_expert", Role.EXPERT),
        Role.SYSTEM_ADMIN: make_user(f"{tag}_m_sysadmin", Role.SYSTEM_ADMIN),
        Role.SECURITY_ADMIN: make_user(f"{tag}_m_secadmin", Role.SECURITY_ADMIN),
        Role.AUDIT_ADMIN: make_user(f"{tag}_m_auditadmin", Role.AUDIT_ADMIN),
    }
    return Scope(organisation=org, city_code=city_code, users=users)


@pytest.fixture
def scopes(db):
    return (_scope("hf", "340100", "91340100MA2RXH7Q95"), _scope("wh", "340200", "91340200MA2N8K3L1T"))


def _expected(entry, role: str, own: bool) -> bool:
    grant = entry.roles.get(role)
    if grant == ALL:
        return True
    if grant == OWN:
        return own if role in SCOPED_ROLES else True
    return False


@pytest.mark.parametrize("name", [n for n in URL_NAMES if n in DECLARED])
def test_no_role_sees_what_it_is_not_declared_for(name, scopes):
    entry = DECLARED[name]
    mine, theirs = scopes
    leaks = []
    targets = [(True, mine), (False, theirs)] if entry.make else [(True, None)]
    urls = {}
    for own, scope in targets:
        try:
            urls[own] = reverse(name, kwargs=entry.make(scope) if scope else None)
        except Exception as error:  # noqa: BLE001 — a declaration that cannot build its URL is a bug
            pytest.fail(f"{name}: cannot build the URL ({error})")
    for role, user in mine.users.items():
        client = otp_login(Client(), user)
        for own, url in urls.items():
            allowed = _expected(entry, role, own)
            if entry.post_only:
                if allowed or entry.public:
                    continue  # state-changing: only refusals are tried
                status = client.post(url).status_code
            else:
                status = client.get(url).status_code
            if allowed and not entry.post_only:
                if status not in entry.ok_statuses:
                    leaks.append(f"{role} {'own' if own else 'other'} {url}: {status}, expected {entry.ok_statuses}")
            elif not allowed and status not in REFUSED:
                leaks.append(f"LEAK {role} {'own' if own else 'other'} {url}: answered {status}")
    assert not leaks, f"{name}:\n" + "\n".join(leaks)


def test_refused_posts_change_nothing(scopes):
    """A refused state change must not happen: e.g. a clerk cannot deactivate an account."""
    mine, theirs = scopes
    target = theirs.users[Role.APPLICANT]
    for role in (Role.APPLICANT, Role.CITY_CLERK, Role.PROVINCE, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        client = otp_login(Client(), mine.users[role])
        client.post(reverse("accounts:manage_user_action", kwargs={"pk": target.pk, "action": "deactivate"}))
    target.refresh_from_db()
    assert target.is_active
