"""Registry links: the `registries` section of a pack, read and checked.

The province imports its registries (登记册: credit lists, earlier support, approved parks) once,
for every batch. What a registry row proves is the notice's business: the pack names, for each
registry kind, the fact an exact hit settles and the value it gives. Which clauses it serves is
not written: a link serves every clause whose rules read its fact (a clause without such a rule
has no such condition, and a hit is only shown to the clerk). The format: docs/policy-pack.md
"登记册". Plain Python: part of the pack model, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .facts import Vocabulary
    from .packfile import _Checker

_KIND = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = {"fact", "value", "year_fact", "evaluated_fact", "when", "unless", "obliges"}


@dataclass(frozen=True)
class Obligation:
    """A registry row of this `year` (and 是否参加绩效评价 `evaluated`, when given) obliges its
    organisation to apply under the link's `when` (e.g. a park's evaluation); `reason` says why."""

    year: int
    reason: str
    evaluated: bool | None = None

    def holds(self, year: int, evaluated: bool | None) -> bool:
        return year == self.year and (self.evaluated is None or evaluated is self.evaluated)


@dataclass(frozen=True)
class RegistryLink:
    """Registry kind `kind` proves `fact`: an exact hit sets it to `value` (a list fact gets the
    value added), or, with `year_fact`, sets that fact to the row's year (and `evaluated_fact` to
    its 是否参加绩效评价 column). `when`/`unless`: answers under which the link applies (all equal) or
    does not (all equal); otherwise a hit is only a note for the clerk."""

    kind: str
    fact: str
    value: Any = None
    year: bool = False  # `year_fact`: the fact takes the row's year, not `value`
    evaluated_fact: str = ""
    when: tuple[tuple[str, Any], ...] = ()
    unless: tuple[tuple[str, Any], ...] = ()
    obliges: tuple[Obligation, ...] = ()  # only with `year_fact`: rows that owe an application

    @property
    def facts(self) -> tuple[str, ...]:
        return (self.fact, self.evaluated_fact) if self.evaluated_fact else (self.fact,)


def read_registry_links(ck: "_Checker", data: dict, vocabulary: "Vocabulary | None") -> tuple[RegistryLink, ...]:
    section = ck.get(data, "registries", "", dict, required=False, default={})
    out = []
    for kind, spec in section.items():
        path = f"registries.{kind}"
        if not _KIND.match(str(kind)):
            ck.add(path, "登记册类型应为小写字母、数字和下划线")
            continue
        if not isinstance(spec, dict):
            ck.add(path, "应为映射")
            continue
        for key in spec:
            if key not in _KEYS:
                ck.add(f"{path}.{key}", f"未知的字段（应为 {'、'.join(sorted(_KEYS))}）")
        year_fact = ck.get(spec, "year_fact", path, required=False, default="")
        fact = year_fact or ck.get(spec, "fact", path, default="")
        evaluated = ck.get(spec, "evaluated_fact", path, required=False, default="")
        if year_fact and "fact" in spec:
            ck.add(path, "fact 与 year_fact 只能写一个")
        if not year_fact and "value" not in spec:
            ck.add(f"{path}.value", "缺少必填项（登记册命中时给事实的值）")

        def known(name: str, where: str, types: tuple[str, ...] = ()) -> None:
            if vocabulary is None or not name:
                return
            spec_ = vocabulary.all.get(name)
            if spec_ is None:
                ck.add(where, f"未知的事实：{name}")
            elif spec_.derive is not None:
                ck.add(where, f"推导的事实不能由登记册设定：{name}")
            elif types and spec_.type not in types:
                ck.add(where, f"{name} 是 {spec_.type} 类型，应为 {' 或 '.join(types)}")

        known(fact, f"{path}.{'year_fact' if year_fact else 'fact'}", ("int",) if year_fact else ())
        known(evaluated, f"{path}.evaluated_fact", ("bool",))
        value = spec.get("value")
        if not year_fact and vocabulary is not None and fact in vocabulary.all:
            fs = vocabulary.all[fact]
            if fs.type in ("list", "enum") and value not in fs.choices:
                ck.add(f"{path}.value", f"{value!r} 不是 {fact} 的取值之一")
            elif fs.type == "bool" and not isinstance(value, bool):
                ck.add(f"{path}.value", f"{fact} 是 bool 类型，值应为 true 或 false")
        conditions = {}
        for key in ("when", "unless"):
            cond = ck.get(spec, key, path, dict, required=False, default={})
            for name in cond:
                known(str(name), f"{path}.{key}.{name}")
            conditions[key] = tuple((str(k), v) for k, v in cond.items())
        obliges = []
        for i, o in enumerate(ck.get(spec, "obliges", path, list, required=False, default=[])):
            where = f"{path}.obliges[{i}]"
            if not year_fact or not conditions["when"]:
                ck.add(where, "只有写了 year_fact 和 when 的登记册才能规定须提交的申报")
                break
            if not isinstance(o, dict):
                ck.add(where, "应为映射")
                continue
            evaluated_value = o.get("evaluated")
            if evaluated_value is not None and not isinstance(evaluated_value, bool):
                ck.add(f"{where}.evaluated", "应为 true 或 false")
            obliges.append(Obligation(ck.get(o, "year", where, int, default=0), ck.get(o, "reason", where, default=""),
                                      evaluated_value if isinstance(evaluated_value, bool) else None))
        out.append(RegistryLink(str(kind), fact, None if year_fact else value, bool(year_fact), evaluated,
                                conditions["when"], conditions["unless"], tuple(obliges)))
    return tuple(out)
