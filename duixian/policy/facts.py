"""The facts vocabulary of the policy calculator (CONTRACTS §2) and its validation.

The vocabulary is the pack's: its `facts` section names every fact with its type, label and
choices (docs/policy-pack.md), and `Vocabulary` is that section read. Facts arrive as nested JSON
(`{"org": {"uscc": ...}}`). They are checked against the vocabulary of the pack that judges them,
so an unknown name or a wrong type is refused with the field named, and flattened to dotted names
(`org.uscc`) for the rules. Absent facts stay absent (rules become `unknown`); a fact given as
null stays null (rules fail). Derived facts are arithmetic or lookup, not policy: the pack names
one of the generic derivations here (`DERIVATIONS`) and gives its parameters, e.g. which region
prefix a USCC must carry.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterable, Mapping
from zoneinfo import ZoneInfo

from duixian.codes import divisions
from duixian.codes.uscc import check_uscc

__all__ = [
    "FactsError",
    "PolicyInputError",
    "FactSpec",
    "Derivation",
    "Vocabulary",
    "DERIVATIONS",
    "FACT_TYPES",
    "parse_facts",
    "one_year_end",
    "to_json",
]


class PolicyInputError(ValueError):
    """Input refused before any rule runs; `field` names the culprit, `label` its words."""

    def __init__(self, field: str, message: str, label: str = ""):
        super().__init__(message)
        self.field = field
        self.message = message
        self.label = label

    def as_dict(self) -> dict:
        return {"error": self.message, "field": self.field}

    def for_people(self) -> str:
        """The message as pages show it: "字段 award.date（获奖日期）…" names the key for the CLI and
        the API; people read “获奖日期”… (the key stays in `field`)."""
        if not self.label:
            return self.message
        return self.message.replace(f"字段 {self.field}（{self.label}）", f"“{self.label}”")


class FactsError(PolicyInputError):
    """A fact has an unknown name, a wrong type or a malformed value."""


# Types a pack may give a fact, and the type its rules see: dates and datetimes are distinct,
# numbers are one type, a USCC is a string (checked per GB 32100 and upper-cased).
FACT_TYPES = {
    "bool": "bool", "str": "str", "uscc": "str", "enum": "str", "date": "date", "datetime": "datetime",
    "decimal": "num", "int": "num", "list": "list",
}


@dataclass(frozen=True)
class Derivation:
    """A derived fact's recipe: a generic function of `DERIVATIONS`, the facts it reads (in the
    order the function takes them) and its parameters from the pack (e.g. `prefix: "34"`)."""

    function: str
    sources: tuple[str, ...]
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str:
        return dict(self.params).get(name, "")


@dataclass(frozen=True)
class FactSpec:
    """One fact of the pack's vocabulary: its dotted name, type and a Chinese label, and what a
    page needs to ask for it (help, unit, the words of its choices).

    Labels are Chinese: rule messages and refusals quote them as they are; the self-check form and
    the review page translate them with gettext(spec.label)."""

    name: str
    type: str  # one of FACT_TYPES
    label: str
    choices: tuple = ()  # enum and list: the allowed values, in the pack's order
    derived_from: tuple = ()
    # A disqualifier (CONTRACTS §2): null means "none" (no violation, no prior support, not
    # redeemed), so it is read as False or the empty list. Any other fact given as null is a step
    # not done, and the rules reading it fail.
    null_means_none: bool = False
    help: str = ""
    unit: str = ""
    choice_words: tuple[tuple[Any, str], ...] = ()  # value → words, for enum and list choices
    options: tuple[tuple[Any, str], ...] = ()  # int facts: the answers a page offers (not a check)
    null_label: str = ""  # the words of the answer "not done" (null), e.g. 尚未签署
    widget: str = ""  # a special picker a page uses, e.g. `region` (cities and counties)
    derive: Derivation | None = None
    undecided: str = ""  # a derived fact its sources cannot decide: what to ask for instead

    @property
    def rule_type(self) -> str:
        return FACT_TYPES[self.type]

    def choice_label(self, value: Any) -> str:
        return dict(self.choice_words).get(value, str(value))


_TYPE_WORDS = {
    "bool": "布尔值（true/false）",
    "str": "字符串",
    "uscc": "字符串",
    "enum": "字符串",
    "date": "日期（YYYY-MM-DD）",
    "datetime": "带时区的时间（ISO 8601，如 2026-04-28T09:30:00+08:00）",
    "decimal": "数值或数值字符串",
    "int": "整数",
    "list": "字符串列表",
}


def _bad(name: str, spec: FactSpec) -> FactsError:
    return FactsError(name, f"字段 {name}（{spec.label}）应为{_TYPE_WORDS[spec.type]}", spec.label)


def _p_bool(name, spec, v):
    if v is True or v is False:
        return v
    raise _bad(name, spec)


def _p_str(name, spec, v):
    if type(v) is str:
        return v
    raise _bad(name, spec)


def _p_enum(name, spec, v):
    if type(v) is str and v in spec.choices:
        return v
    if type(v) is str:
        raise FactsError(name, f"字段 {name}（{spec.label}）取值应为：{'、'.join(spec.choices)}", spec.label)
    raise _bad(name, spec)


# CONTRACTS §2: dates `YYYY-MM-DD`, datetimes ISO 8601 with an offset. Python's fromisoformat also
# takes week dates (2025-W48-1) and offsets with seconds or beyond ±24h; those are refused here.
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATETIME_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})\Z"
)
# Offsets within ±14:00 (as the metering file of CONTRACTS §3): a larger one moves the day.
_MIN_OFFSET, _MAX_OFFSET = dt.timedelta(hours=-14), dt.timedelta(hours=14)
# An amount in 万元 beyond this is not an amount (and would overflow the arithmetic): refused.
_MAX_DECIMAL = Decimal("1e15")
# Dates of this policy are recent; far ones are typing slips, and year 9999 would overflow the
# arithmetic (its award anniversary, its day in Beijing).
_MIN_YEAR, _MAX_YEAR = 1900, 2100


def _out_of_range(name: str, spec: FactSpec) -> FactsError:
    return FactsError(name, f"字段 {name}（{spec.label}）超出范围：年份应在{_MIN_YEAR}至{_MAX_YEAR}之间", spec.label)


def _p_date(name, spec, v):
    t = type(v)
    if t is str:
        if _DATE_RE.match(v):
            try:
                v = dt.date.fromisoformat(v)
            except ValueError:
                raise _bad(name, spec) from None
            t = dt.date
        else:
            raise _bad(name, spec)
    if t is dt.date:
        if not _MIN_YEAR <= v.year <= _MAX_YEAR:
            raise _out_of_range(name, spec)
        return v
    raise _bad(name, spec)


def _p_datetime(name, spec, v):
    if type(v) is str:
        try:
            parsed = dt.datetime.fromisoformat(v)
        except ValueError:
            raise _bad(name, spec) from None
        if parsed.tzinfo is not None and not _DATETIME_RE.match(v):
            raise _bad(name, spec)
        v = parsed
    if isinstance(v, dt.datetime):
        offset = v.utcoffset() if v.tzinfo is not None else None
        if offset is None:
            raise FactsError(name, f"字段 {name}（{spec.label}）须带时区偏移，如 +08:00", spec.label)
        if offset % dt.timedelta(minutes=1) or not _MIN_OFFSET <= offset <= _MAX_OFFSET:
            raise FactsError(name, f"字段 {name}（{spec.label}）的时区偏移应在 -14:00 至 +14:00 之间，精确到分钟", spec.label)
        if not _MIN_YEAR <= v.year <= _MAX_YEAR:
            raise _out_of_range(name, spec)
        return v
    raise _bad(name, spec)


def _p_decimal(name, spec, v):
    t = type(v)
    if t is str:
        text = v.strip()
        # Decimal() also reads full-width digits and underscores (１２０, 1_000): not a decimal string.
        if not text.isascii() or "_" in text:
            raise _bad(name, spec)
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise _bad(name, spec) from None
    elif t is int or t is Decimal:
        d = Decimal(v)
    elif t is float:
        d = Decimal(repr(v))
    else:
        raise _bad(name, spec)
    if not d.is_finite():
        raise _bad(name, spec)
    if d < 0:
        raise FactsError(name, f"字段 {name}（{spec.label}）不能为负数", spec.label)
    if d >= _MAX_DECIMAL:
        raise FactsError(name, f"字段 {name}（{spec.label}）数值过大", spec.label)
    return abs(d) if d.is_zero() else d  # -0 is 0


def _p_int(name, spec, v):
    if type(v) is int:
        return v
    if type(v) is str and v.strip().lstrip("-").isdigit() and v.strip().isascii():
        return int(v)
    raise _bad(name, spec)


def _p_list(name, spec, v):
    if type(v) not in (list, tuple):
        raise _bad(name, spec)
    for item in v:
        if item not in spec.choices:
            raise FactsError(name, f"字段 {name}（{spec.label}）的取值应为：{'、'.join(spec.choices)}", spec.label)
    return tuple(v)


_PARSERS: dict[str, Callable[[str, FactSpec, Any], Any]] = {
    "bool": _p_bool,
    "str": _p_str,
    "uscc": _p_str,
    "enum": _p_enum,
    "date": _p_date,
    "datetime": _p_datetime,
    "decimal": _p_decimal,
    "int": _p_int,
    "list": _p_list,
}
def one_year_end(start: dt.date) -> dt.date:
    """Last day of "自…之日起1年内" (民法典 201, 202).

    The start day is not counted; the period ends on the corresponding day of the following
    year, or on the last day of that month when there is none (29 February → 28 February).
    """
    try:
        return start.replace(year=start.year + 1)
    except ValueError:
        return start.replace(year=start.year + 1, day=28)


# GB 32100: an organisation registered centrally has this region code (positions 3–8).
_CENTRAL_REGION = "100000"


def _uscc_error(code: str) -> str | None:
    """The GB 32100 problem of a USCC, or None (the platform's one check, duixian.codes.uscc)."""
    result = check_uscc(code)
    return None if result.valid else (result.error or "统一社会信用代码无效")


def uscc_region_in(code: str, prefix: str) -> bool | None:
    """Whether a USCC's region (positions 3–8) lies under `prefix` (a province's two digits).

    A code registered centrally (100000, e.g. national institutes) → None: the platform confirms
    the region at registration; any other region → whether it starts with the prefix.
    """
    region = code[2:8]
    if region == _CENTRAL_REGION:
        return None
    return region.startswith(prefix)


def region_code_in(code: str, prefix: str, city_codes: frozenset[str]) -> bool:
    """A city or county division code under `prefix`, never the province itself (prefix0000);
    when the pack lists its cities (`contacts.cities`), the code's city must be one of them."""
    if len(code) != 6 or not code.isdigit() or not code.startswith(prefix) or code == prefix.ljust(6, "0"):
        return False
    city = divisions.city_for_region(code)
    return city is not None and (not city_codes or city.code in city_codes)


_ABSENT = object()


def _derive_uscc_region_in(values: list, d: Derivation, city_codes) -> Any:
    """from: [the platform's confirmation (bool), the USCC]: the confirmation wins when given;
    a central registration without it stays absent (unknown)."""
    confirmed, code = values
    if confirmed is not _ABSENT:
        return confirmed
    if code is _ABSENT:
        return _ABSENT
    if code is None:
        return None
    inside = uscc_region_in(code, d.param("prefix"))
    return _ABSENT if inside is None else inside


def _derive_one_year_end(values: list, d: Derivation, city_codes) -> Any:
    (day,) = values
    return day if day is _ABSENT or day is None else one_year_end(day)


def _derive_year_of(values: list, d: Derivation, city_codes) -> Any:
    (day,) = values
    return day if day is _ABSENT or day is None else day.year


def _derive_region_code_in(values: list, d: Derivation, city_codes) -> Any:
    (code,) = values
    return code if code is _ABSENT or code is None else region_code_in(code, d.param("prefix"), city_codes)


# name → (function, the types of the facts it reads, in order, its parameters, its result type).
# A derived fact is absent when its sources are, null when a source is null.
DERIVATIONS: dict[str, tuple[Callable, tuple[str, ...], tuple[str, ...], str]] = {
    "uscc_region_in": (_derive_uscc_region_in, ("bool", "uscc"), ("prefix",), "bool"),
    "one_year_end": (_derive_one_year_end, ("date",), (), "date"),
    "year_of": (_derive_year_of, ("date",), (), "int"),
    "region_code_in": (_derive_region_code_in, ("str",), ("prefix",), "bool"),
}


class Vocabulary:
    """The facts of one pack, with the tables parse_facts reads on its hot path."""

    def __init__(self, specs: Iterable[FactSpec], city_codes: Iterable[str] = ()):
        specs = list(specs)
        self.all: dict[str, FactSpec] = {s.name: s for s in specs}
        self.given: dict[str, FactSpec] = {s.name: s for s in specs if s.derive is None}
        self.derived: dict[str, FactSpec] = {s.name: s for s in specs if s.derive is not None}
        self.city_codes = frozenset(city_codes)
        # name -> (parser, spec): one dict lookup per fact on the hot path.
        self.table = {name: (_PARSERS[spec.type], spec) for name, spec in self.given.items()}
        # namespace -> key -> (dotted name, parser, spec, inline type code, choices): no string
        # building per fact.
        self.ns_table: dict[str, dict[str, tuple]] = {}
        for name, (parser, spec) in self.table.items():
            if "." in name:
                ns, key = name.split(".", 1)
                code = {"bool": 1, "date": 2, "enum": 3, "str": 4, "uscc": 4}.get(spec.type, 0)
                self.ns_table.setdefault(ns, {})[key] = (name, parser, spec, code, frozenset(spec.choices))
        self.none_when_null = tuple(
            (name, () if spec.type == "list" else False) for name, spec in self.given.items() if spec.null_means_none
        )
        self.date_facts = tuple(name for name, spec in self.given.items() if spec.type == "date")
        self.uscc_facts = tuple(name for name, spec in self.given.items() if spec.type == "uscc")
        self.derivations = tuple(
            (name, DERIVATIONS[spec.derive.function][0], spec.derive, spec.derive.sources)
            for name, spec in self.derived.items()
        )

    def __contains__(self, name: str) -> bool:
        return name in self.all

    def get(self, name: str) -> FactSpec | None:
        return self.all.get(name)

    def label(self, name: str) -> str:
        spec = self.all.get(name)
        return spec.label if spec else name

    def rule_types(self) -> dict[str, str]:
        """Every fact's name → the type rules see (what the expression compiler declares)."""
        return {name: spec.rule_type for name, spec in self.all.items()}

    def sources(self, name: str) -> tuple[str, ...]:
        """The facts as given that a fact stands for: itself, or a derived fact's sources."""
        spec = self.derived.get(name)
        return spec.derived_from if spec is not None else (name,)


_CACHE_USCC: dict[str, str | None] = {}
_fromisoformat = dt.date.fromisoformat
_SHANGHAI = ZoneInfo("Asia/Shanghai")


def parse_facts(
    raw: Any, vocabulary: Vocabulary, tz: dt.tzinfo | None = None, late: dict | None = None
) -> dict[str, Any]:
    """Validate nested JSON facts against a pack's vocabulary; return them flat, derived facts added.

    Raises FactsError naming the first bad field. A disqualifier given as null is read as
    none (False or the empty list). When `submitted_at` is given, a date later than its
    calendar day in `tz` (default Asia/Shanghai) had not happened when the application was made:
    it becomes null (not done), and `late`, when given, receives name → the date as given.
    """
    if type(raw) is not dict and not isinstance(raw, Mapping):
        raise FactsError("", "事实应为 JSON 对象")
    out: dict[str, Any] = {}
    ns_table = vocabulary.ns_table
    for top, value in raw.items():
        sub = ns_table.get(top)
        if sub is not None:
            if value is None:
                continue
            if type(value) is not dict and not isinstance(value, Mapping):
                raise FactsError(top, f"字段 {top} 应为 JSON 对象")
            for key, v in value.items():
                entry = sub.get(key)
                if entry is None:
                    name = f"{top}.{key}"
                    raise FactsError(name, f"未知的事实字段：{name}")
                if v is None:
                    out[entry[0]] = None
                    continue
                # The common types are checked inline: this loop runs for every fact of every
                # application, and a function call per fact is most of its cost.
                code = entry[3]
                if code == 1:
                    if v is True or v is False:
                        out[entry[0]] = v
                        continue
                elif code == 2:
                    if type(v) is str and len(v) == 10 and v[4] == "-" and v[7] == "-":
                        try:
                            d = _fromisoformat(v)
                        except ValueError:
                            d = None
                        if d is not None and _MIN_YEAR <= d.year <= _MAX_YEAR:
                            out[entry[0]] = d
                            continue
                elif code == 3:
                    if type(v) is str and v in entry[4]:
                        out[entry[0]] = v
                        continue
                elif code == 4:
                    if type(v) is str:
                        out[entry[0]] = v
                        continue
                out[entry[0]] = entry[1](entry[0], entry[2], v)
        else:
            entry = vocabulary.table.get(top) if type(top) is str else None
            if entry is None:
                raise FactsError(str(top), f"未知的事实字段：{top}")
            out[top] = None if value is None else entry[0](top, entry[1], value)

    # Disqualifiers: null means none.
    for name, empty in vocabulary.none_when_null:
        if name in out and out[name] is None:
            out[name] = empty
    # Dates after the day of the first submission: not yet done when applying.
    sub = out.get("submitted_at")
    if sub is not None:
        day = sub.astimezone(tz or _SHANGHAI).date()
        for name in vocabulary.date_facts:
            d = out.get(name)
            if d is not None and d > day:
                out[name] = None
                if late is not None:
                    late[name] = d
    # USCCs: checked per GB 32100 once every type is (a wrong type is named first), upper-cased.
    for name in vocabulary.uscc_facts:
        code = out.get(name)
        if code is not None:
            code = code.strip().upper()
            error = _CACHE_USCC.get(code, _ABSENT)
            if error is _ABSENT:
                error = _uscc_error(code)
                if len(_CACHE_USCC) < 100_000:
                    _CACHE_USCC[code] = error
            if error is not None:
                raise FactsError(name, error)
            out[name] = code
    # Derived facts, in the pack's order; none when none of its sources is given.
    for name, fn, recipe, sources in vocabulary.derivations:
        values = [out.get(s, _ABSENT) for s in sources]
        if values.count(_ABSENT) == len(values):
            continue
        value = fn(values, recipe, vocabulary.city_codes)
        if value is not _ABSENT:
            out[name] = value
    return out


def to_json(value: Any) -> Any:
    """A fact value as JSON: dates ISO, decimals as strings, tuples as lists."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def __getattr__(name: str):
    """`FACTS`: the given facts of the pack shipped with the code, for tools and tests that judge
    with it (everything else reads the vocabulary of the pack it judges with: `pack.facts`)."""
    if name == "FACTS":
        from .pack import default_pack

        return default_pack().facts.given
    raise AttributeError(name)
