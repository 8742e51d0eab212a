"""The authorization matrix: every URL × every role × objects of its own and another scope.

The URLs come from the resolver, so a new app's pages are picked up without touching this
file; how to build each URL comes from the app's `access.py` (duixian/authz/access.py
explains the format). What each role may see comes from the action the view declares
(`@requires`, duixian/authz/__init__.py): for every role and object the registry's rule says
allowed or refused, and the view must answer exactly that; the rule itself must stay within its
role table (a role it does not list is never allowed, an OWN role only its own objects). A view
that declares no action fails, and so does an `access.py` entry that lists roles of its own (the
action decides, in one place). A URL without an entry fails. A leak fails:
- a page answered to a role the rule refuses (or to an anonymous visitor when the URL is not
  public); a page refused to a role the rule allows;
- an object of another organisation, city or expert answered to a role limited to its own;
- a refused state-changing POST (tried for every refused role) that is not refused, or any refused
  request after which the audit trail holds a new successful event (something was done);
- a page that shows an application the viewer may not see: every scope holds a submitted and a
  draft application with unmistakable project names, and no HTML page any role opens may name
  one it has no right to (a draft only to its organisation; a submitted application also to its
  city's clerks and the province; experts and administrators none of these); nor may a
  non-public page show an applicant or a clerk the other scope's organisation name.

The two scopes (organisations, their users and signed-in clients, the marker applications) are
built once per module inside an outer transaction that is rolled back at the end; each test runs
in a savepoint inside it, so what `make(scope)` builds for one URL is gone before the next.
The clock stands at 2026-04-21 09:00 Beijing time (the application window is open).
"""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from duixian import authz
from duixian.authz.access import OWN, Scope, collect, url_views
from duixian.authz.roles import Role
from duixian.core.clock import SHANGHAI
from tests.conftest import make_org, make_user, otp_login

REFUSED = {302, 403, 404, 405}
SCOPED_ROLES = {Role.APPLICANT, Role.CITY_CLERK, Role.EXPERT}
MOMENT = datetime(2026, 4, 21, 9, 0, tzinfo=SHANGHAI)


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
AS_WRITTEN = collect(as_declared=True)
URL_NAMES = [name for name, _ in ALL_URLS]


def test_every_url_is_declared():
    missing = [name for name in URL_NAMES if name not in DECLARED]
    stale = [name for name in DECLARED if name not in URL_NAMES]
    assert not stale, f"access.py declares URLs that no longer exist: {stale}"
    assert not missing, ("URLs without an access declaration (add them to duixian/<app>/access.py): "
                         + ", ".join(missing))


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


def _markers(scope: Scope, tag: str) -> dict[str, str]:
    """A submitted and a draft application of the scope, named so that any page naming them is seen."""
    from tests.review.conftest import make_submitted

    from duixian.applications.services import application_create

    submitted, draft = f"提交标记{tag}Q7", f"草稿标记{tag}Q7"
    make_submitted(scope.users[Role.APPLICANT], submitted)
    application_create(user=scope.users[Role.APPLICANT], clause="2", project_name=draft)
    return {"submitted": submitted, "draft": draft}


class World:
    def __init__(self, mine, theirs, mine_markers, their_markers, clients):
        self.mine, self.theirs = mine, theirs
        self.mine_markers, self.their_markers = mine_markers, their_markers
        self.clients = clients


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("matrix-media")
    with (django_db_blocker.unblock(), time_machine.travel(MOMENT, tick=False),
          override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])):
        with transaction.atomic():
            mine = _scope("hf", "340100", "91340100MA2RXH7Q95")
            theirs = _scope("wh", "340200", "91340200MA2N8K3L1T")
            world = World(mine, theirs, _markers(mine, "甲"), _markers(theirs, "乙"),
                          {role: otp_login(Client(), user) for role, user in mine.users.items()})
            yield world
            transaction.set_rollback(True)


@pytest.fixture
def matrix(world, db):
    return world  # `db` opens this test's savepoint inside the module's transaction


@pytest.fixture
def scopes(matrix):
    return matrix.mine, matrix.theirs


def _forbidden_markers(world: World, role: str) -> list[str]:
    """Project names this role may never see on a page."""
    forbidden = [world.their_markers["draft"]]
    if role != Role.PROVINCE:
        forbidden.append(world.their_markers["submitted"])
    if role != Role.APPLICANT:
        forbidden.append(world.mine_markers["draft"])
    if role not in (Role.APPLICANT, Role.CITY_CLERK, Role.PROVINCE):
        forbidden.append(world.mine_markers["submitted"])
    return forbidden


def _forbidden_names(world: World, role: str) -> list[str]:
    """Another organisation's name is not for its applicants' or clerks' eyes on a non-public page."""
    if role in (Role.APPLICANT, Role.CITY_CLERK):
        return [world.theirs.organisation.name]
    return []


def _successes() -> list[tuple[str, str]]:
    from duixian.audit.models import AuditEvent

    return list(AuditEvent.objects.filter(outcome="success").order_by("pk").values_list("pk", "action"))


def _shows(response, texts: list[str]) -> list[str]:
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    if getattr(response, "streaming", False):
        return []
    body = response.content.decode("utf-8", errors="replace")
    return [t for t in texts if t in body]


def _url(name: str, kwargs: dict | None, query: str) -> str:
    url = reverse(name, kwargs=kwargs or None)
    return f"{url}?{query}" if query else url


def _guard(url: str):
    return authz.guard_of(resolve(url.split("?", 1)[0]).func)


def _ruled(guard, url: str, role: str, user, own: bool, problems: list[str]) -> bool:
    """What the registry's rule answers for this user and the URL's object; a rule that allows
    beyond its role table is a problem of its own."""
    rule = authz.get_rule(guard.action)
    decision = authz.check(user, guard.action, guard.object_for(resolve(url.split("?", 1)[0]).kwargs))
    grant = rule.roles.get(role)
    if decision.allowed and (grant is None or (grant == OWN and role in SCOPED_ROLES and not own)):
        problems.append(f"LEAK rule {guard.action} allows {role} {'own' if own else 'other'} beyond its roles {dict(rule.roles)}")
    return decision.allowed


def test_every_view_declares_its_action():
    """Who may open a URL is said once: by the action its view declares (@requires), never by
    a roles list in access.py."""
    problems = []
    views = url_views()
    for name, _route in ALL_URLS:
        entry = AS_WRITTEN.get(name)
        if entry is None:
            continue  # test_every_url_is_declared names it
        guard = authz.guard_of(views[name])
        if guard is None:
            problems.append(f"{name}: its view declares no action (@requires, duixian/authz/__init__.py)")
        elif entry.roles:
            problems.append(f"{name}: its view declares {guard.action!r}; drop the roles from access.py")
        else:
            authz.get_rule(guard.action)  # an unknown action fails here
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", [n for n in URL_NAMES if n in DECLARED])
def test_no_role_sees_what_it_is_not_declared_for(name, matrix):
    leaks = _leaks(name, matrix)
    assert not leaks, f"{name}:\n" + "\n".join(leaks)


def _leaks(name: str, matrix) -> list[str]:
    entry = DECLARED[name]
    mine, theirs = matrix.mine, matrix.theirs
    leaks = []
    targets = [(True, mine), (False, theirs)] if entry.make else [(True, None)]
    urls = {}
    for own, scope in targets:
        try:
            urls[own] = _url(name, entry.make(scope) if scope else None, entry.query)
        except Exception as error:  # noqa: BLE001 — a declaration that cannot build its URL is a bug
            pytest.fail(f"{name}: cannot build the URL ({type(error).__name__}: {error})")
    if not entry.public:
        anonymous = Client()
        for url in urls.values():
            response = anonymous.post(url) if entry.post_only else anonymous.get(url)
            if response.status_code not in REFUSED:
                leaks.append(f"LEAK anonymous {url}: answered {response.status_code}")
    guard = _guard(next(iter(urls.values())))
    if guard is None:
        return leaks + [f"{name}: its view declares no action, so nothing says who may open it"]
    allowed_somewhere = False
    for role, client in matrix.clients.items():
        forbidden = _forbidden_markers(matrix, role) + ([] if entry.public else _forbidden_names(matrix, role))
        if role == Role.AUDIT_ADMIN and name.startswith("audit:"):
            forbidden = []  # the audit trail names the objects of the events it records (by design)
        for own, url in urls.items():
            allowed = _ruled(guard, url, role, matrix.mine.users[role], own, leaks)
            allowed_somewhere = allowed_somewhere or allowed
            before = None if allowed else len(_successes())
            if entry.post_only:
                if allowed or entry.public:
                    continue  # state-changing: only refusals are tried
                response = client.post(url)
            else:
                response = client.get(url)
            status = response.status_code
            where = f"{role} {'own' if own else 'other'} {url}"
            if before is not None and not entry.public and len(_successes()) != before:
                done = [action for _pk, action in _successes()[before:]]
                leaks.append(f"LEAK {where}: refused, yet it did (and audited) {done}")
            if allowed and not entry.post_only:
                if status not in entry.ok_statuses:
                    leaks.append(f"{where}: {status}, expected {entry.ok_statuses}")
            elif not allowed and status not in REFUSED:
                leaks.append(f"LEAK {where}: answered {status}")
            if not entry.post_only:
                for text in _shows(response, forbidden):
                    leaks.append(f"LEAK {where}: the page names {text!r}, an application {role} may not see")
    if not allowed_somewhere:
        leaks.append(f"{guard.action} allows no role here: build an object some role may open (make)")
    return leaks


def test_a_view_that_refuses_other_than_its_rule_fails(matrix, monkeypatch):
    """The rule-against-view check is real: were application.poll's rule to allow any applicant
    (and the poll view, which checks in its own query, not to follow), the matrix would say so;
    and a rule that allows an OWN role another organisation's object is named too (a role
    outside the table is refused by the registry itself: tests/accounts/test_authz.py)."""
    import dataclasses

    rule = authz.get_rule("application.poll")
    monkeypatch.setitem(authz._rules, "application.poll", dataclasses.replace(rule, function=lambda user, obj: authz.allow()))
    leaks = _leaks("applications:confirmation_poll", matrix)
    assert any("applicant other" in leak and "expected" in leak for leak in leaks), leaks  # the view refused
    assert any("beyond its roles" in leak for leak in leaks), leaks  # an OWN role allowed another's object


def test_the_marker_check_can_fail(matrix):
    """The page check is real: the province's list shows both cities' submitted markers, no draft."""
    response = matrix.clients[Role.PROVINCE].get(reverse("applications:list"))
    assert _shows(response, [matrix.mine_markers["submitted"], matrix.their_markers["submitted"]]) == [
        matrix.mine_markers["submitted"], matrix.their_markers["submitted"]]
    assert not _shows(response, [matrix.mine_markers["draft"], matrix.their_markers["draft"]])
    assert _shows(response, _forbidden_markers(matrix, Role.CITY_CLERK)) == [matrix.their_markers["submitted"]]


def test_refused_posts_change_nothing(scopes):
    """A refused state change must not happen: e.g. a clerk cannot deactivate an account."""
    mine, theirs = scopes
    target = theirs.users[Role.APPLICANT]
    for role in (Role.APPLICANT, Role.CITY_CLERK, Role.PROVINCE, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        client = otp_login(Client(), mine.users[role])
        client.post(reverse("accounts:manage_user_action", kwargs={"pk": target.pk, "action": "deactivate"}))
    target.refresh_from_db()
    assert target.is_active
