"""Querysets compiled once per process: the hot pages' object loads without the ORM's compiler.

Building a query through the ORM (resolving lookups, joins, the select list, the SQL) costs
several times more CPU than running it: about 1 ms per request on the 2-core target machine
for the application every applicant and clerk page loads with its organisation (issue 22).
:class:`CompiledQuery` lets the ORM compile a queryset once, with marker values where the
request's values go, keeps its SQL and the compiler's plan for turning a row into objects
(the model's columns, `select_related` populators, the backend's converters), and then only
runs the SQL with the request's values: the objects are the ones the ORM would build.

Only for plain `filter(...)` + `select_related(...)` querysets whose values are passed as
parameters (not inlined in the SQL): compiling checks each marker is found once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

from django.db import connections, router
from django.db.models.query import ValuesListIterable, get_related_populators


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: list
    slots: tuple[int, ...]  # where each argument of first() goes in params
    init_list: list
    start: int
    end: int
    populators: list
    converters: list  # (column index, converter functions, expression)


class CompiledQuery:
    """``CompiledQuery(model, lambda *markers: queryset, markers)``: `build` returns the queryset
    for the given values; :meth:`first` and :meth:`all` run it for real values, as
    ``build(*values)[:1]`` and ``list(build(*values))`` would (ordered as `build` orders it)."""

    def __init__(self, model, build: Callable, markers: tuple):
        self.model, self.build, self.markers = model, build, markers
        self._plans: dict[tuple[str, bool], _Plan] = {}
        self._lock = Lock()

    def _plan(self, alias: str, one: bool) -> _Plan:
        plan = self._plans.get((alias, one))
        if plan is None:
            with self._lock:
                plan = self._plans.get((alias, one)) or self._compile(alias, one)
                self._plans[alias, one] = plan
        return plan

    def _compile(self, alias: str, one: bool) -> _Plan:
        queryset = self.build(*self.markers)
        compiler = (queryset[:1] if one else queryset).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = _slots(sql, params, self.markers)
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        converters = [(index, convs, expression) for index, (convs, expression)
                      in compiler.get_converters([s[0] for s in select[:compiler.col_count]]).items()]
        return _Plan(sql, params, slots, [f[0].target.attname for f in select[start:end]], start, end,
                     get_related_populators(klass_info, select, alias), converters)

    def first(self, *values):
        found = self._run(values, one=True)
        return found[0] if found else None

    def all(self, *values) -> list:
        return self._run(values, one=False)

    def _run(self, values: tuple, one: bool) -> list:
        alias = router.db_for_read(self.model)
        plan = self._plan(alias, one)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, _filled(plan.params, plan.slots, values))
            rows = cursor.fetchall()
        found = []
        for row in rows:
            row = _converted(row, plan.converters, connection)
            obj = self.model.from_db(alias, plan.init_list, row[plan.start:plan.end])
            for populator in plan.populators:
                populator.populate(row, obj)
            found.append(obj)
        return found


@dataclass(frozen=True)
class _RowsPlan:
    sql: str
    params: list
    slots: tuple[int, ...]
    width: int | None  # the columns a row keeps (the ordering's extra columns dropped), None: all
    converters: list


class CompiledRows:
    """``CompiledRows(model, lambda *markers: queryset.values_list(...), markers)``: the tuples
    ``list(build(*values))`` gives, for pages that need no model behaviour (no instances built).
    :meth:`all` takes `limit` and `offset`, as ``build(*values)[offset:offset + limit]`` would.
    Same limits as :class:`CompiledQuery`: the markers must be passed as parameters."""

    def __init__(self, model, build: Callable, markers: tuple):
        self.model, self.build, self.markers = model, build, markers
        self._plans: dict[str, _RowsPlan] = {}
        self._lock = Lock()

    def _plan(self, alias: str) -> _RowsPlan:
        plan = self._plans.get(alias)
        if plan is None:
            with self._lock:
                plan = self._plans.get(alias) or self._compile(alias)
                self._plans[alias] = plan
        return plan

    def _compile(self, alias: str) -> _RowsPlan:
        queryset = self.build(*self.markers)
        if queryset._iterable_class is not ValuesListIterable:
            raise TypeError("CompiledRows needs a values_list() queryset (not flat, not named)")
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if queryset.query.low_mark or queryset.query.high_mark is not None:
            raise ValueError("CompiledRows pages with all(limit=, offset=), not a sliced queryset")
        params = list(params)
        slots = _slots(sql, params, self.markers)
        fields = [s[0] for s in compiler.select[:compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise TypeError("CompiledRows does not read composite fields")
        converters = [(index, convs, expression) for index, (convs, expression)
                      in compiler.get_converters(fields).items()]
        return _RowsPlan(sql, params, slots, compiler.col_count if compiler.has_extra_select else None,
                         converters)

    def all(self, *values, limit: int | None = None, offset: int = 0) -> list[tuple]:
        alias = router.db_for_read(self.model)
        plan = self._plan(alias)
        connection = connections[alias]
        params = _filled(plan.params, plan.slots, values)
        sql = plan.sql
        if limit is not None:
            sql = f"{sql} LIMIT %s OFFSET %s"
            params += [limit, offset]
        elif offset:
            raise ValueError("an offset needs a limit")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if plan.width is not None:
            rows = [row[:plan.width] for row in rows]
        if not plan.converters:
            return [tuple(row) for row in rows]
        return [tuple(_converted(row, plan.converters, connection)) for row in rows]


def _slots(sql: str, params: list, markers: tuple) -> tuple[int, ...]:
    """Where each marker's value went among the compiled query's parameters (each exactly once)."""
    slots = []
    for marker in markers:
        found = [i for i, value in enumerate(params) if value == marker]
        if len(found) != 1:
            raise ValueError(f"marker {marker!r} is not one parameter of {sql}")
        slots.append(found[0])
    return tuple(slots)


def _filled(params: list, slots: tuple[int, ...], values: tuple) -> list:
    """The compiled parameters with this call's values where the markers were."""
    params = list(params)
    for slot, value in zip(slots, values, strict=True):
        params[slot] = value
    return params


def _converted(row, converters: list, connection) -> list:
    """A fetched row with each column through the backend's and the field's converters, as the ORM does."""
    row = list(row)
    for index, functions, expression in converters:
        value = row[index]
        for convert in functions:
            value = convert(value, expression, connection)
        row[index] = value
    return row
