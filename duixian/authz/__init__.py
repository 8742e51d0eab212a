"""One authorization registry: (action, user, object) → Decision(allowed, reason).

The package ``duixian.authz`` is the roles (:mod:`duixian.authz.roles`), this registry and the
URL declarations the matrix test reads (:mod:`duixian.authz.access`). It imports only Django,
so every app, ``core`` and ``audit`` included, sits above it (docs/decisions/0002).

Every app registers its rules under named actions ("application.view", "review.recommend",
"wallet.change", …) in its own ``permissions.py`` with :func:`rule`; this module imports each
installed duixian app's ``permissions`` when the registry is first used (no business app is
imported by name, so ``authz`` stays below them). Everything that asks "may this user do
this?" asks here:

- views through :func:`requires` (a decorator that loads the URL's object, checks the action and
  answers 404 or 403), or :func:`authorize` inside a view;
- templates through ``{% can "application.edit" app as may_edit %}`` (accounts/templatetags/authz.py);
- services through :func:`check` (the same answer a view gets, e.g. before a state change);
- tests/security/test_matrix.py, which reads the action a view declares (``view.authz``) and
  checks, for every role and an object of its own and of another organisation, that the view
  refuses exactly what the rule refuses, and that the rule never allows more than its role table.

A rule declares ``roles``: the roles it can ever allow, each OWN (only objects of the user's own
organisation, city, or assignment) or ALL (any object). The table is a ceiling enforced here: a
role not in it is refused whatever the rule function says. A refusal is hidden by default: the
view answers 404, so that another organisation's ids reveal nothing and a page not for this role
does not say it exists. A rule says ``deny(reason, hidden=False)`` for a refusal the user may be
told (the object is theirs to see, the action is not open now): the view then answers 403, or
its own page with the reason (e.g. back to the status page: 申报已提交，不能修改).
docs/decisions/0004-authorization-registry.md explains the choice and lists the migrated apps.
"""

from __future__ import annotations

import importlib
import inspect
import threading
from dataclasses import dataclass
from functools import wraps
from typing import Any, Callable, Mapping

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duixian.authz.roles import Role

OWN = "own"
ALL = "all"
ANONYMOUS = "anonymous"  # a role-table key: visitors who are not signed in
NOT_FOUND = gettext_lazy("您要找的内容不存在。")
EVERY_ROLE = {role: ALL for role in Role.values}  # every signed-in role, any object


@dataclass(frozen=True)
class Decision:
    """An answer with its reason (in Chinese, for the user). Reads as the pair ``allowed, reason``."""

    allowed: bool
    reason: str = ""
    hidden: bool = True  # a refusal that must not tell whether the object exists (404)

    def __bool__(self) -> bool:
        return self.allowed

    def __iter__(self):
        return iter((self.allowed, self.reason))

    def __getitem__(self, index):
        return (self.allowed, self.reason)[index]


ALLOWED = Decision(True)


def allow() -> Decision:
    return ALLOWED


def deny(reason: str, *, hidden: bool = True) -> Decision:
    return Decision(False, str(reason), hidden)


@dataclass(frozen=True)
class Rule:
    action: str
    function: Callable[..., Any]
    roles: Mapping[str, str]  # role → OWN | ALL: the most this rule may ever allow
    takes_object: bool = False

    @property
    def public(self) -> bool:
        """Open to everyone, signed in or not: the ceiling need not look at the user (so /healthz
        and the public pages read no account)."""
        return ANONYMOUS in self.roles and set(Role.values) <= set(self.roles)


@dataclass(frozen=True)
class Guard:
    """What a view declares (``view.authz``): the action, and how its object is found from the
    URL's keyword arguments (None when the action concerns no object)."""

    action: str
    load: Callable[..., Any] | None = None

    def object_for(self, url_kwargs: dict):
        return self.load(**url_kwargs) if self.load is not None else None


_rules: dict[str, Rule] = {}
_discovered = False
_lock = threading.Lock()


def rule(action: str, *, roles: Mapping[str, str]):
    """Register the decorated function as the rule of `action`. It takes (user) or (user, obj)
    and answers a Decision (or an (allowed, reason) pair: a hidden refusal); it stays callable.
    One function may be registered under several actions."""

    def register(function):
        existing = _rules.get(action)
        if existing is not None and (existing.function.__module__, existing.function.__qualname__) != (
                function.__module__, function.__qualname__):
            raise ImproperlyConfigured(f"authorization action {action!r} is registered twice")
        bad = {grant for grant in roles.values() if grant not in (OWN, ALL)}
        if bad:
            raise ImproperlyConfigured(f"{action}: role grants must be OWN or ALL, not {bad}")
        takes_object = len(inspect.signature(function).parameters) >= 2
        _rules[action] = Rule(action, function, dict(roles), takes_object)
        return function

    return register


def autodiscover() -> None:
    """Import every installed duixian app's ``permissions`` module (where rules register)."""
    global _discovered
    if _discovered:
        return
    with _lock:
        if _discovered:
            return
        for config in apps.get_app_configs():
            if not config.name.startswith("duixian."):
                continue
            try:
                importlib.import_module(f"{config.name}.permissions")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.permissions":
                    raise
        _discovered = True


def rules() -> dict[str, Rule]:
    autodiscover()
    return dict(_rules)


def get_rule(action: str) -> Rule:
    autodiscover()
    try:
        return _rules[action]
    except KeyError:
        raise ImproperlyConfigured(f"no authorization rule for {action!r}") from None


def role_of(user) -> str:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return ANONYMOUS
    return user.role


def check(user, action: str, obj=None) -> Decision:
    """May `user` do `action` (on `obj`)? The rule's answer, within its role table."""
    found = get_rule(action)
    result = found.function(user, obj) if found.takes_object else found.function(user)
    decision = result if isinstance(result, Decision) else Decision(bool(result[0]), str(result[1] or ""))
    if decision.allowed and not found.public and role_of(user) not in found.roles:
        decision = deny(_("您无权进行此操作。"))
    return decision


def refuse(decision: Decision):
    """Raise the refusal a view answers: 404 when hidden (existence not told: the same words as
    for an id that does not exist), else 403 with the reason."""
    if decision.hidden:
        raise Http404(NOT_FOUND)
    raise PermissionDenied(decision.reason)


def authorize(user, action: str, obj=None) -> Decision:
    """`check`, raising the view's refusal (404 or 403) when the answer is no."""
    decision = check(user, action, obj)
    if not decision.allowed:
        refuse(decision)
    return decision


def requires(action: str, load: Callable[..., Any] | None = None,
             refused: Callable[..., Any] | None = None):
    """Guard a view with `action`. `load(**url_kwargs)` finds the object (None → 404); the view is
    then called with it after the request: ``view(request, obj, **url_kwargs)``. A refusal is 404
    or 403 (see :func:`refuse`), or, when it is not hidden and `refused` is given, whatever
    ``refused(request, obj, decision)`` answers (e.g. back to the status page with the reason)."""

    guard = Guard(action, load)

    def wrap(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            obj = None
            if load is not None:
                obj = guard.object_for(kwargs)
                if obj is None:
                    raise Http404(NOT_FOUND)
            decision = check(request.user, action, obj)
            if not decision.allowed:
                if refused is not None and not decision.hidden:
                    return refused(request, obj, decision)
                refuse(decision)
            if load is not None:
                return view(request, obj, *args, **kwargs)
            return view(request, *args, **kwargs)

        guarded.authz = guard
        return guarded

    return wrap


def checked_in_query(action: str, load: Callable[..., Any] | None = None):
    """Declare `action` for a view that enforces it inside its own hand-written query (the
    confirmation poll and the queued submit press, the hot paths of the last hour before the
    deadline, answer in one statement). Nothing is checked here: the matrix test proves that the
    view refuses exactly what the rule refuses."""

    def wrap(view):
        view.authz = Guard(action, load)
        return view

    return wrap


def guard_of(view) -> Guard | None:
    return getattr(view, "authz", None)

