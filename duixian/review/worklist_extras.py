"""What apps above review add to the city's work list page, by registering in their AppConfig.ready().

exports adds the 汇总表 preview (`summary`) and the downloaded versions (`versions`); review asks
here and never imports exports, which builds its files from review's selectors (docs/decisions/0002).
A provider is `provider(city_code, pack) -> dict` of template values.
"""

from __future__ import annotations

from collections.abc import Callable

Provider = Callable[[str, object], dict]

_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def worklist_context(city_code: str, pack) -> dict:
    context: dict = {}
    for provider in _PROVIDERS:
        context.update(provider(city_code, pack))
    return context
