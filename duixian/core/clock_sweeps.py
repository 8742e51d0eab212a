"""What the apps catch up on the moment the platform clock jumps (the province moves the demo
clock), instead of at a worker's next housekeeping round (duixian.ops.housekeeping).

Each app registers its sweep in its `AppConfig.ready()`; core runs them in registration order
(the order of INSTALLED_APPS) and never names an app. A sweep takes no argument and returns a
sentence for the person who moved the clock (what it just did), or None.
"""

from __future__ import annotations

from collections.abc import Callable

Sweep = Callable[[], "str | None"]

_SWEEPS: list[Sweep] = []


def register(sweep: Sweep) -> Sweep:
    """Add an app's sweep (once, however often ready() runs)."""
    if sweep not in _SWEEPS:
        _SWEEPS.append(sweep)
    return sweep


def run_all() -> list[str]:
    """Run every registered sweep; return what they said, in order."""
    said = (sweep() for sweep in tuple(_SWEEPS))
    return [sentence for sentence in said if sentence]
