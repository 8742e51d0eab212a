"""Reads for the dashboard: the signed-in member's organisation matched on every open batch."""

from __future__ import annotations

from duixian.core import clock
from duixian.policy.active import open_batches

from .match import NEEDS_INFO, NOT_ELIGIBLE, NOT_OPEN, POSSIBLE, OrganisationMatch, match
from .models import ChannelPreference


def dashboard_matches(organisation) -> OrganisationMatch:
    return match(organisation, open_batches(clock.now()))


def grouped(result: OrganisationMatch) -> list[tuple[str, list]]:
    """(batch title, its clauses, 可能符合 first, then 需补充信息, 不符合, 无需申报), batch by batch."""
    order = {POSSIBLE: 0, NEEDS_INFO: 1, NOT_ELIGIBLE: 2, NOT_OPEN: 3}
    batches: dict[str, list] = {}
    for clause in result.clauses:
        batches.setdefault(clause.batch_title, []).append(clause)
    return [(title, sorted(items, key=lambda c: (order[c.standing], int(c.clause))))
            for title, items in batches.items()]


def channel_preference(user) -> ChannelPreference:
    return ChannelPreference.objects.filter(user=user).first() or ChannelPreference(user=user)
