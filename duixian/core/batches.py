"""The batches the platform runs (one policy pack version each), as the app that owns them tells.

`policy` registers its readers in its `AppConfig.ready()`; core's own pages (the home page, the
notice, the signed-in landing page, the demo clock) ask here, so core never imports a business
app (docs/decisions/0002). The packs are used as they are: core reads their windows and labels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_readers: dict[str, Callable[[], Any]] = {}


def register(*, current: Callable[[], Any], every: Callable[[], list[Any]]) -> None:
    """`current()`: the batch a page shows by default; `every()`: every batch, in display order."""
    _readers["current"], _readers["every"] = current, every


def current_pack() -> Any:
    return _readers["current"]()


def batches() -> list[Any]:
    return _readers["every"]()
