"""The signed-in landing page's links, gathered from each app's `dashboard_links(user)`.

Each app knows its own pages and counts; this module only lists the apps, in the order a
user meets them in the batch, so the dashboard never needs to know any app's details.
"""

from __future__ import annotations

from importlib import import_module

PROVIDERS = (
    "duixian.applications.dashboard",
    "duixian.wallet.dashboard",
    "duixian.guidance.dashboard",
    "duixian.orgs.dashboard",
    "duixian.registries.dashboard",
    "duixian.review.dashboard",
    "duixian.decisions.dashboard",
    "duixian.tracking.dashboard",
    "duixian.policy.dashboard",
    "duixian.compute.dashboard",
    "duixian.core.dashboard_platform",
    "duixian.accounts.dashboard",
    "duixian.audit.dashboard",
)


def dashboard_links(user) -> list[dict]:
    links: list[dict] = []
    for path in PROVIDERS:
        links.extend(import_module(path).dashboard_links(user))
    return links
