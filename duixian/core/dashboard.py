"""The signed-in landing page's links, gathered from each app's `dashboard_links(user)`.

Each app knows its own pages and counts; this module only lists the apps, in the order a
user meets them in the batch, so the dashboard never needs to know any app's details.
"""

from __future__ import annotations

from importlib import import_module

PROVIDERS = (
    "duixian.applications.dashboard",
    "duixian.matching.dashboard",
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
    "duixian.ops.dashboard",
    "duixian.accounts.dashboard",
    "duixian.audit.dashboard",
)


# Apps that also show a panel (a dict with its "template" and the template's values, or None).
PANEL_PROVIDERS = ("duixian.matching.dashboard",)


def dashboard_links(user) -> list[dict]:
    links: list[dict] = []
    for path in PROVIDERS:
        links.extend(import_module(path).dashboard_links(user))
    return links


def dashboard_panels(user) -> list[dict]:
    panels = (import_module(path).dashboard_panel(user) for path in PANEL_PROVIDERS)
    return [panel for panel in panels if panel]
