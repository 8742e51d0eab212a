"""The facts vocabulary of the policy calculator (CONTRACTS §2) and its validation.

Facts arrive as nested JSON (`{"org": {"uscc": ...}}`). They are checked against one typed
vocabulary, so an unknown name or a wrong type is refused with the field named, and flattened
to dotted names (`org.uscc`) for the rules. Absent facts stay absent (rules become `unknown`);
a fact given as null stays null (rules fail). A few facts are derived here because they are
arithmetic or lookup, not policy: Anhui registration from the USCC, the end of "自获奖之日起1年内"
per 民法典 201/202, and whether an agreement's division code is an Anhui city or county.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterable, Mapping
from zoneinfo import ZoneInfo

__all__ = [
    "FactsError",
    "PolicyInputError",
    "FACTS",
    "DERIVED",
    "FactSpec",
    "parse_facts",
    "one_year_end",
    "uscc_in_anhui",
    "to_json",
]


def gettext_noop(message: str) -> str:
    """Marks a label for the catalogue (makemessages looks for this name) and returns it as is.

    Defined here rather than imported from Django: the engine imports no Django."""
    return message


class PolicyInputError(ValueError):
    """Input refused before any rule runs; `field` names the culprit."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message

    def as_dict(self) -> dict:
        return {"error": self.message, "field": self.field}

    def for_people(self) -> str:
        """The message as pages show it: "字段 award.date（获奖日期）…" names the key for the CLI and
        the API; people read “获奖日期”… (the key stays in `field`)."""
        spec = ALL_FACTS.get(self.field or "")
        if spec is None:
            return self.message
        return self.message.replace(f"字段 {self.field}（{spec.label}）", f"“{spec.label}”")


class FactsError(PolicyInputError):
    """A fact has an unknown name, a wrong type or a malformed value."""


@dataclass(frozen=True)
class FactSpec:
    """One fact of the vocabulary: its dotted name, type and a Chinese label.

    Labels are marked with gettext_noop: rule messages and refusals quote them in Chinese; the
    self-check form and the review page translate them with gettext(spec.label)."""

    name: str
    type: str  # bool | str | enum | date | datetime | decimal | int | list
    label: str
    choices: tuple = ()
    derived_from: tuple = ()
    # A disqualifier (CONTRACTS §2): null means "none" (no violation, no prior support, not
    # redeemed), so it is read as False or the empty list. Any other fact given as null is a step
    # not done, and the rules reading it fail.
    null_means_none: bool = False

    @property
    def rule_type(self) -> str:
        """The type rules see: dates and datetimes are distinct, numbers are one type."""
        return {"enum": "str", "int": "num", "decimal": "num"}.get(self.type, self.type)


ORG_KINDS = ("enterprise", "university", "research_institute", "park_operator", "team")
SCENE_STATUSES = ("planned", "building", "in_use")
SCENE_PRIOR = ("future_industry_benchmark", "similar_provincial_support", "clause1_scene_project")
OPERATOR_PRIOR = (
    "high_level_innovation_platform",
    "proof_of_concept_center",
    "pilot_base",
    "top_incubator",
    "other_similar_support",  # 五（三）"…顶尖孵化器等": the province judges whether it is of the kind
)

_F = FactSpec
FACTS: dict[str, FactSpec] = {
    f.name: f
    for f in [
        _F("org.uscc", "str", gettext_noop("统一社会信用代码")),
        _F("org.kind", "enum", gettext_noop("单位类型"), ORG_KINDS),
        _F("org.registered_in_anhui", "bool", gettext_noop("在安徽省内登记注册（平台确认）")),
        _F("org.independent_legal_person", "bool", gettext_noop("具有独立法人资质")),
        _F("org.owns_ip", "bool", gettext_noop("拥有明晰的自主知识产权")),
        _F("org.credit_good", "bool", gettext_noop("社会信用记录良好")),
        _F("org.major_violation", "bool", gettext_noop("有重大违法行为"), null_means_none=True),
        _F("org.agi_enterprise", "bool", gettext_noop("通用人工智能企业")),
        _F("project.name", "str", gettext_noop("项目名称")),
        _F("project.in_anhui", "bool", gettext_noop("项目在安徽省内发生")),
        _F("project.occurred_on", "date", gettext_noop("项目发生日期")),
        _F("submitted_at", "datetime", gettext_noop("首次提交时间")),
        _F("amount_requested_wan", "decimal", gettext_noop("拟申请兑现金额（万元）")),
        _F("scene.owner_is_applicant", "bool", gettext_noop("申报单位为场景机会业主单位")),
        _F("scene.in_anhui", "bool", gettext_noop("场景在安徽省内实施")),
        _F("scene.status", "enum", gettext_noop("场景状态"), SCENE_STATUSES),
        # 二（二）2 disqualifies an applicant that can supply the technology itself: null means none.
        _F("scene.own_supply_capability", "bool", gettext_noop("自身具备技术、产品供给能力"), null_means_none=True),
        _F("scene.purchased_solution", "bool", gettext_noop("已购买或开发解决方案")),
        _F("scene.development_investment_wan", "decimal", gettext_noop("场景开发投入（万元）")),
        _F("scene.prior_support", "list", gettext_noop("已获支持"), SCENE_PRIOR, null_means_none=True),
        _F("scene.demonstration_effect", "bool", gettext_noop("示范效果明显（评审判断）")),
        _F("award.competition_year", "int", gettext_noop("大赛年份")),
        _F("award.rank", "int", gettext_noop("获奖等次")),
        _F("award.date", "date", gettext_noop("获奖日期")),
        _F("award.redeemed_in_2025", "bool", gettext_noop("2025年度已兑现"), null_means_none=True),
        _F("conversion.in_anhui", "bool", gettext_noop("在皖转化")),
        _F("conversion.converted_on", "date", gettext_noop("转化日期")),
        _F("conversion.investment_agreement_signed_on", "date", gettext_noop("投资协议签署日期")),
        _F("conversion.agreement_region_code", "str", gettext_noop("签约地市或县区行政区划代码")),
        _F("conversion.registration_moved_on", "date", gettext_noop("工商登记迁入日期")),
        _F("conversion.tax_moved_on", "date", gettext_noop("税务登记迁入日期")),
        _F("conversion.statistics_moved_on", "date", gettext_noop("统计关系迁入日期")),
        _F("conversion.follows_award_business_plan", "bool", gettext_noop("以获奖商业计划书为基础实施")),
        _F("park.application_type", "enum", gettext_noop("园区申报类型"), ("creation", "evaluation")),
        _F("park.approved_year", "int", gettext_noop("园区评审通过年度")),
        _F("park.evaluated_in_2025", "bool", gettext_noop("已参加2025年度绩效评价")),
        _F("park.scene_capacity", "bool", gettext_noop("场景承载能力较强（评审判断）")),
        _F("park.industry_advantage", "bool", gettext_noop("产业优势较强（评审判断）")),
        _F("park.scene_capability", "bool", gettext_noop("场景能力较强（评审判断）")),
        _F("operator.prior_support", "list", gettext_noop("运营单位已获支持"), OPERATOR_PRIOR, null_means_none=True),
        _F("operator.field_foundation", "bool", gettext_noop("申报领域基础（评审判断）")),
    ]
}

# Facts computed from others; a caller may not set them.
DERIVED: dict[str, FactSpec] = {
    f.name: f
    for f in [
        _F("org.in_anhui", "bool", gettext_noop("在安徽省内登记注册"), derived_from=("org.registered_in_anhui", "org.uscc")),
        _F("award.one_year_end", "date", gettext_noop("获奖满1年的最后一日"), derived_from=("award.date",)),
        _F("award.date_year", "int", gettext_noop("获奖日期所在年份"), derived_from=("award.date",)),
        _F(
            "conversion.agreement_region_in_anhui",
            "bool",
            gettext_noop("签约方为安徽省内地市或县区"),
            derived_from=("conversion.agreement_region_code",),
        ),
    ]
}

ALL_FACTS: dict[str, FactSpec] = {**FACTS, **DERIVED}
_NAMESPACES = frozenset(n.split(".", 1)[0] for n in FACTS if "." in n)

_TYPE_WORDS = {
    "bool": "布尔值（true/false）",
    "str": "字符串",
    "enum": "字符串",
    "date": "日期（YYYY-MM-DD）",
    "datetime": "带时区的时间（ISO 8601，如 2026-04-28T09:30:00+08:00）",
    "decimal": "数值或数值字符串",
    "int": "整数",
    "list": "字符串列表",
}


def _bad(name: str, spec: FactSpec) -> FactsError:
    return FactsError(name, f"字段 {name}（{spec.label}）应为{_TYPE_WORDS[spec.type]}")


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
        raise FactsError(name, f"字段 {name}（{spec.label}）取值应为：{'、'.join(spec.choices)}")
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
    return FactsError(name, f"字段 {name}（{spec.label}）超出范围：年份应在{_MIN_YEAR}至{_MAX_YEAR}之间")


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
            raise FactsError(name, f"字段 {name}（{spec.label}）须带时区偏移，如 +08:00")
        if offset % dt.timedelta(minutes=1) or not _MIN_OFFSET <= offset <= _MAX_OFFSET:
            raise FactsError(name, f"字段 {name}（{spec.label}）的时区偏移应在 -14:00 至 +14:00 之间，精确到分钟")
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
        raise FactsError(name, f"字段 {name}（{spec.label}）不能为负数")
    if d >= _MAX_DECIMAL:
        raise FactsError(name, f"字段 {name}（{spec.label}）数值过大")
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
            raise FactsError(name, f"字段 {name}（{spec.label}）的取值应为：{'、'.join(spec.choices)}")
    return tuple(v)


_PARSERS: dict[str, Callable[[str, FactSpec, Any], Any]] = {
    "bool": _p_bool,
    "str": _p_str,
    "enum": _p_enum,
    "date": _p_date,
    "datetime": _p_datetime,
    "decimal": _p_decimal,
    "int": _p_int,
    "list": _p_list,
}
# name -> (parser, spec): one dict lookup per fact on the hot path.
_TABLE = {name: (_PARSERS[spec.type], spec) for name, spec in FACTS.items()}
# namespace -> key -> (dotted name, parser, spec, inline type code, choices): no string building per fact.
_fromisoformat = dt.date.fromisoformat
_NS_TABLE: dict[str, dict[str, tuple]] = {}
for _name, (_parser, _spec) in _TABLE.items():
    if "." in _name:
        _ns, _key = _name.split(".", 1)
        _code = {"bool": 1, "date": 2, "enum": 3, "str": 4}.get(_spec.type, 0)
        _NS_TABLE.setdefault(_ns, {})[_key] = (_name, _parser, _spec, _code, frozenset(_spec.choices))


def one_year_end(start: dt.date) -> dt.date:
    """Last day of "自获奖之日起1年内" (民法典 201, 202).

    The start day is not counted; the period ends on the corresponding day of the following
    year, or on the last day of that month when there is none (29 February → 28 February).
    """
    try:
        return start.replace(year=start.year + 1)
    except ValueError:
        return start.replace(year=start.year + 1, day=28)


try:  # the organisations module owns the GB 32100 check and the division table (pure Python)
    from duixian.orgs import divisions as _divisions
    from duixian.orgs.uscc import check_uscc as _orgs_check_uscc
except Exception:  # pragma: no cover - the engine still works alone
    _divisions = None
    _orgs_check_uscc = None


def uscc_in_anhui(code: str) -> bool | None:
    """Anhui registration from the USCC's region (positions 3–8).

    34xxxx → Anhui; 100000 (registered centrally, e.g. national institutes in Hefei) → None
    (the platform confirms the city at registration); anything else → not Anhui.
    """
    region = code[2:8]
    if region.startswith("34"):
        return True
    if region == "100000":
        return None
    return False


def _uscc_info(code: str) -> tuple[str | None, bool | None]:
    """(error or None, in Anhui) for a USCC; one place for the rule when duixian.orgs is there."""
    if _orgs_check_uscc is not None:
        r = _orgs_check_uscc(code)
        if not r.valid:
            return (r.error or "统一社会信用代码无效"), None
        return None, r.in_anhui
    from stdnum.cn import uscc as stdnum_uscc
    from stdnum.exceptions import InvalidChecksum, InvalidLength

    try:
        stdnum_uscc.validate(code)
    except InvalidChecksum:
        return "统一社会信用代码校验位错误", None
    except InvalidLength:
        return "统一社会信用代码应为18位", None
    except Exception:
        return "统一社会信用代码含有不允许的字符", None
    return None, uscc_in_anhui(code)


def _region_in_anhui(code: str, city_codes: frozenset[str]) -> bool:
    """An Anhui prefecture-level city or county: never the province itself (340000)."""
    if len(code) != 6 or not code.isdigit() or code == "340000" or not code.startswith("34"):
        return False
    if _divisions is not None:
        city = _divisions.city_for_region(code)
        return city is not None and (not city_codes or city.code in city_codes)
    return (code[:4] + "00") in city_codes


_CACHE_USCC: dict[str, tuple[str | None, bool | None]] = {}
_NONE_WHEN_NULL = tuple(
    (name, () if spec.type == "list" else False) for name, spec in FACTS.items() if spec.null_means_none
)
_DATE_FACTS = tuple(name for name, spec in FACTS.items() if spec.type == "date")
_SHANGHAI = ZoneInfo("Asia/Shanghai")


def parse_facts(
    raw: Any, city_codes: Iterable[str] = (), tz: dt.tzinfo | None = None, late: dict | None = None
) -> dict[str, Any]:
    """Validate nested JSON facts and return them flat, with derived facts added.

    Raises FactsError naming the first bad field. `city_codes` (from the pack's 附件1) decides
    which division codes are Anhui cities or counties. A disqualifier given as null is read as
    none (False or the empty list). When `submitted_at` is given, a date later than its
    calendar day in `tz` (default Asia/Shanghai) had not happened when the application was made:
    it becomes null (not done), and `late`, when given, receives name → the date as given.
    """
    if type(raw) is not dict and not isinstance(raw, Mapping):
        raise FactsError("", "事实应为 JSON 对象")
    out: dict[str, Any] = {}
    ns_table = _NS_TABLE
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
            entry = _TABLE.get(top) if type(top) is str else None
            if entry is None:
                raise FactsError(str(top), f"未知的事实字段：{top}")
            out[top] = None if value is None else entry[0](top, entry[1], value)

    # Disqualifiers: null means none.
    for name, empty in _NONE_WHEN_NULL:
        if name in out and out[name] is None:
            out[name] = empty
    # Dates after the day of the first submission: not yet done when applying.
    sub = out.get("submitted_at")
    if sub is not None:
        day = sub.astimezone(tz or _SHANGHAI).date()
        for name in _DATE_FACTS:
            d = out.get(name)
            if d is not None and d > day:
                out[name] = None
                if late is not None:
                    late[name] = d

    # Derived facts.
    uscc_anhui = None
    if "org.uscc" in out:
        code = out["org.uscc"]
        if code is not None:
            code = code.strip().upper()
            info = _CACHE_USCC.get(code)
            if info is None:
                info = _uscc_info(code)
                if len(_CACHE_USCC) < 100_000:
                    _CACHE_USCC[code] = info
            if info[0] is not None:
                raise FactsError("org.uscc", info[0])
            out["org.uscc"] = code
            uscc_anhui = info[1]
    if "org.registered_in_anhui" in out:
        out["org.in_anhui"] = out["org.registered_in_anhui"]
    elif "org.uscc" in out:
        if out["org.uscc"] is None:
            out["org.in_anhui"] = None
        elif uscc_anhui is not None:
            out["org.in_anhui"] = uscc_anhui
    if "award.date" in out:
        d = out["award.date"]
        out["award.one_year_end"] = None if d is None else one_year_end(d)
        out["award.date_year"] = None if d is None else d.year
    if "conversion.agreement_region_code" in out:
        c = out["conversion.agreement_region_code"]
        codes = city_codes if isinstance(city_codes, frozenset) else frozenset(city_codes)
        out["conversion.agreement_region_in_anhui"] = None if c is None else _region_in_anhui(c, codes)
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


# Chinese words for the values of enumerated facts (the self-check page and exports show them).
CHOICE_LABELS: dict[str, dict] = {
    "org.kind": {
        "enterprise": gettext_noop("企业"),
        "university": gettext_noop("高校"),
        "research_institute": gettext_noop("科研院所"),
        "park_operator": gettext_noop("园区运营单位"),
        "team": gettext_noop("团队（尚未注册企业）"),
    },
    "scene.status": {
        "planned": gettext_noop("尚在规划"),
        "building": gettext_noop("正在建设"),
        "in_use": gettext_noop("已完成建设并投入使用"),
    },
    "scene.prior_support": {
        "future_industry_benchmark": gettext_noop("省未来产业标杆应用场景"),
        "similar_provincial_support": gettext_noop("其他类似的省级支持"),
        "clause1_scene_project": gettext_noop("第一条人工智能场景创新项目（揭榜挂帅）"),
    },
    "park.application_type": {
        "creation": gettext_noop("2026年度园区创建申报"),
        "evaluation": gettext_noop("2025年度园区绩效评价"),
    },
    "operator.prior_support": {
        "high_level_innovation_platform": gettext_noop("省级高能级创新平台"),
        "proof_of_concept_center": gettext_noop("概念验证中心"),
        "pilot_base": gettext_noop("科技成果中试基地"),
        "top_incubator": gettext_noop("顶尖孵化器"),
        "other_similar_support": gettext_noop("其他类似政策支持（须省科技厅确认）"),
    },
}
