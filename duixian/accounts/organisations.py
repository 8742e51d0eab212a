"""What accounts asks about organisations, answered by orgs.

orgs builds on accounts (its members are accounts' users, with accounts' roles), so accounts never
imports orgs (docs/decisions/0002): orgs registers its answers in `OrgsConfig.ready()`. Asked by
unified identity sign-in (accounts.identity) and the lockout list (accounts.lockouts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Organisations:
    by_uscc: Callable[[str], Any]  # the registered organisation with this USCC, or None
    is_confirmed: Callable[[Any], bool]  # the organisation's registration was confirmed by its city
    is_member: Callable[[Any], bool]  # the user is an active member of their organisation
    is_manager: Callable[[Any], bool]  # the user manages their organisation's members


_answers: list[Organisations] = []


def register(answers: Organisations) -> None:
    _answers[:] = [answers]


def organisations() -> Organisations:
    return _answers[0]
