"""How the authorization matrix test builds each URL.

Each app may have an `access.py` with `URL_ACCESS = [UrlAccess(...), ...]`, one entry per URL
name in its URLconf. tests/security/test_matrix.py walks the whole resolver, tries every role
against every URL — with objects of the role's own organisation/city and of another — and fails
on any leak. A URL without an entry fails.

Who may open a URL comes from the action its view declares (``@requires("application.view",
application_of)``, duixian.authz): the matrix asks the registry's rule for each role and
object and checks that the view answers exactly that. An entry only says how to build the URL:

    UrlAccess("applications:detail", ok_statuses=(302,),
              make=lambda scope: {"pk": make_application(scope.organisation).pk})

An entry never lists roles (the matrix fails on one that does: the action decides, in one place);
:func:`collect` fills `roles` with the rule's role table for the readers of the declarations:
OWN, the role may open objects of its own organisation (applicants), city (clerks) or assigned
to it (experts: `make` assigns the object to `scope.users[Role.EXPERT]`) only; ALL, any object.

`make(scope)` builds an object owned by `scope` (an organisation in a city) and returns the URL
kwargs. Roles not allowed must get no page (404, 403, 405 or a redirect); anonymous visitors
none unless `public`. `query` is appended to the URL (e.g. a form's parameters).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from django.apps import apps

from duixian import authz
from duixian.authz import ALL, OWN

__all__ = ["ALL", "OWN", "Scope", "UrlAccess", "collect", "url_views"]


@dataclass(frozen=True)
class Scope:
    """One side of the matrix: an organisation, its city, and a user of each role there."""

    organisation: Any
    city_code: str
    users: dict


@dataclass(frozen=True)
class UrlAccess:
    name: str
    roles: dict = field(default_factory=dict)  # role -> OWN | ALL: filled by collect() from the view's rule
    make: Callable[[Scope], dict] | None = None  # URL kwargs for an object owned by the scope
    public: bool = False  # open to anonymous visitors too
    post_only: bool = False  # changes state: only refused roles are tried (by POST)
    ok_statuses: tuple[int, ...] = (200,)  # what an allowed role may get (e.g. 404 outside demo mode)
    query: str = ""  # appended after "?"
    note: str = ""


def collect(*, as_declared: bool = False) -> dict[str, UrlAccess]:
    """Every declaration of every installed duixian app, by URL name.

    For a view that declares its action, `roles` is that rule's role table (the most it may
    allow), so that a reader of the declarations (the matrix, the English-pages crawl) learns who
    may open a URL from the registry; `as_declared` gives the entries as written in access.py."""
    found: dict[str, UrlAccess] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("duixian."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.access")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.access":
                raise
            continue
        for entry in getattr(module, "URL_ACCESS", []):
            found[entry.name] = entry
    if as_declared:
        return found
    views = url_views()
    for name, entry in found.items():
        guard = authz.guard_of(views.get(name))
        if guard is not None and not entry.roles:
            found[name] = replace(entry, roles=dict(authz.get_rule(guard.action).roles))
    return found


def url_views() -> dict[str, Any]:
    """Every named URL's view function, by its namespaced name."""
    from django.urls import URLPattern, URLResolver, get_resolver

    views: dict[str, Any] = {}

    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                views.setdefault(f"{namespace}{entry.name}", entry.callback)

    walk(get_resolver().url_patterns)
    return views
