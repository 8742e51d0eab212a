"""The compute subsidy (三、降低算力使用成本, 免申即享) per organisation — CONTRACTS §3.

Plain Python and DuckDB, no Django: the command, the import service and the benchmark all call
``compute_subsidy``. The design keeps memory bounded whatever the number of records:

1. one scan of ``record_id`` alone, grouped by its hash (32 bits up to 2**25 rows, else 64),
   finds candidate repeats (a table of hashes, spilled to disk by DuckDB beyond ``memory_limit``);
2. one scan of all columns validates every row and, in the same pass, aggregates the amounts by
   (user, bucket) and (provider, counted) with GROUPING SETS — a few rows per organisation —
   and keeps the rows whose id hash repeats (DuckDB streams the one scan to both);
3. only when there are candidates, those rows are compared exactly (the ids and every column,
   not their hashes): an identical repeat is counted once (its copies' amounts subtracted), a
   different one is an error naming its lines;
4. only when a row is bad, one more scan collects every bad line with its messages.

Precedence of the excluded buckets and the period are CONTRACTS §3; the notice's 三（一）1–4
are quoted next to the expression that implements each.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from .metering import (
    EngineSettings,
    MeteringError,
    Problem,
    _lit,
    connect,
    open_metering,
)



def gettext_noop(text: str) -> str:
    """Marks words for the translation catalogue (makemessages) without importing Django: the
    engine writes them in Chinese (CONTRACTS §3), pages translate them with `|pack_text`."""
    return text


# The five buckets of a user's excluded jobs, in order of precedence (CONTRACTS §3).
BUCKETS = ("outside_period", "not_via_platform", "outside_province", "self_or_affiliate", "business")
BUCKET_LABELS = {
    "outside_period": gettext_noop("不在项目周期内"),
    "not_via_platform": gettext_noop("未通过省级平台统一入口"),
    "outside_province": gettext_noop("非省内智能算力"),
    "self_or_affiliate": gettext_noop("自建自用（本单位或关联单位算力）"),
    "business": gettext_noop("企业经营性算力使用"),
}
ELIGIBLE_KINDS = ("enterprise", "university", "research_institute")
# 三（二）"通用人工智能企业、高校院所等": a unit of another kind is not refused outright; it is listed
# for the province to decide whether it falls under "等" (still not eligible until then).
OTHER_KIND_REASON = "其他类型单位，需省科技厅确认是否属于“等”所含范围"
ORG_KINDS = ("enterprise", "university", "research_institute", "park_operator", "team")
KIND_LABELS = {
    "enterprise": "企业",
    "university": "高校",
    "research_institute": "科研院所",
    "park_operator": "园区运营单位",
    "team": "参赛团队",
}


@dataclass(frozen=True)
class Period:
    """The project period as instants: [start, end)."""

    start: datetime
    end: datetime

    @classmethod
    def from_dates(cls, first_day: date, last_day: date, tz: str | ZoneInfo) -> "Period":
        """Dates as a policy pack states them (both inclusive), in the pack's time zone."""
        zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
        return cls(
            datetime.combine(first_day, time(0), zone),
            datetime.combine(last_day + timedelta(days=1), time(0), zone),
        )

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("project period bounds must be aware datetimes")
        if not self.start < self.end:
            raise ValueError("project period must end after it starts")


@dataclass(frozen=True)
class OrgInfo:
    """What the subsidy needs to know about an organisation (orgs file or database)."""

    uscc: str
    name: str
    kind: str
    independent_legal_person: bool | None
    agi_enterprise: bool | None
    group_id: str = ""
    # Overrides the Anhui registration derived from the USCC (e.g. a centrally registered
    # university whose city was confirmed by the clerk). None: derive from the code.
    registered_in_anhui: bool | None = None

    @property
    def group(self) -> str:
        return "g:" + self.group_id if self.group_id else "o:" + self.uscc


@dataclass
class SubsidyResult:
    uscc: str
    name: str | None
    used: Decimal
    provided: Decimal
    net: Decimal
    excluded: dict[str, Decimal]
    eligible: bool
    reasons: list[str]
    subsidy_quantity: Decimal
    # Not eligible only because its kind is not named in 三（二）: the province decides (OTHER_KIND_REASON).
    needs_review: bool = False

    def as_dict(self) -> dict:
        """The CONTRACTS §3 object; quantities as decimal strings."""
        return {
            "uscc": self.uscc,
            "name": self.name,
            "used": format_decimal(self.used),
            "provided": format_decimal(self.provided),
            "net": format_decimal(self.net),
            "excluded": {b: format_decimal(self.excluded[b]) for b in BUCKETS},
            "eligible": self.eligible,
            "reasons": list(self.reasons),
            "subsidy_quantity": format_decimal(self.subsidy_quantity),
            "needs_review": self.needs_review,
        }


@dataclass
class ComputeStats:
    rows: int = 0  # valid rows in the file, repeats included
    duplicates: int = 0  # identical repeats counted once
    organisations: int = 0


@dataclass
class ComputeOutcome:
    results: list[SubsidyResult]
    stats: ComputeStats = field(default_factory=ComputeStats)


def format_decimal(value: Decimal) -> str:
    """A plain decimal string: no exponent, no trailing zeros, "0" for any zero."""
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    return text


# --------------------------------------------------------------------------------------------
# Units


def normalise_units(units: object) -> dict[str, Decimal]:
    """Units as a mapping name → factor to the base unit.

    Accepts the pack's list of unit entries (``{id: card_hour, base: true}``, with ``factor``
    for a unit that is not the base), a mapping name → factor, or plain names (factor 1).
    """
    def factor_of(spec: object, name: str) -> Decimal:
        if isinstance(spec, Mapping):
            if "factor" in spec:
                return Decimal(str(spec["factor"]))
            if spec.get("base", True):
                return Decimal(1)
            raise ValueError(f"计量单位 {name} 不是基本单位，但没有给出换算系数（factor）")
        if spec is None:
            return Decimal(1)
        return Decimal(str(spec))

    if isinstance(units, str):
        return {units: Decimal(1)}
    if isinstance(units, Mapping):
        return {str(name): factor_of(spec, str(name)) for name, spec in units.items()}
    out = {}
    for item in units:  # type: ignore[union-attr]
        if isinstance(item, Mapping):
            name = str(item.get("id") or item.get("name"))
            out[name] = factor_of(item, name)
        else:
            out[str(item)] = Decimal(1)
    return out


def pack_parameters(pack) -> tuple[Period, dict[str, Decimal]]:
    """The project period and the units a policy pack declares for the compute subsidy."""
    period = Period.from_dates(pack.project_period_start, pack.project_period_end, pack.tz)
    return period, normalise_units(pack.compute_units)


# --------------------------------------------------------------------------------------------
# Organisations file


ORGS_COLUMNS = ("uscc", "name", "kind", "independent_legal_person", "agi_enterprise", "group_id")


class OrgsFileError(Exception):
    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.line, p.message))
        super().__init__(f"组织名单有 {len(self.problems)} 处错误")


def _parse_flag(value: str) -> bool | None | str:
    text = value.strip().lower()
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    return "bad"


def read_orgs_csv(path: str | os.PathLike) -> dict[str, OrgInfo]:
    """Read the organisations CSV (CONTRACTS §3); refuse it listing every bad line.

    Optional extra column ``registered_in_anhui`` (true|false|empty) overrides the Anhui
    registration derived from the code, as ``org.registered_in_anhui`` does for §2.
    """
    problems: list[Problem] = []
    orgs: dict[str, OrgInfo] = {}
    first_line: dict[str, int] = {}
    data = Path(path).read_bytes()  # an organisations list is small
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise OrgsFileError([Problem(line, "组织名单不是UTF-8编码（请以UTF-8保存CSV文件）")]) from None
    with io.StringIO(text, newline="") as f:
        reader = csv.reader(f, strict=True)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise OrgsFileError([Problem(1, "组织名单为空，缺少表头")]) from None
        except csv.Error as exc:
            raise OrgsFileError([Problem(1, f"表头无法读取：{exc}")]) from None
        missing = [c for c in ("uscc", "name", "kind") if c not in header]
        if missing:
            raise OrgsFileError([Problem(1, "组织名单缺少列：" + "、".join(missing))])
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                problems.append(Problem(start, f"不是有效的CSV行：{exc}"))
                continue
            if not row:
                continue
            if len(row) != len(header):
                problems.append(Problem(start, f"字段数（{len(row)}）与表头（{len(header)}）不一致"))
                continue
            rec = {h: v.strip() for h, v in zip(header, row)}
            uscc = rec["uscc"].upper()
            errors = []
            if not uscc:
                errors.append("“uscc”为空")
            kind = rec["kind"]
            if kind not in ORG_KINDS:
                errors.append(f"“kind”应为 {'、'.join(ORG_KINDS)} 之一，实为“{kind}”")
            flags = {}
            for col in ("independent_legal_person", "agi_enterprise", "registered_in_anhui"):
                flag = _parse_flag(rec.get(col, ""))
                if flag == "bad":
                    errors.append(f"“{col}”应为 true 或 false，实为“{rec[col]}”")
                    flag = None
                flags[col] = flag
            if uscc and uscc in first_line:
                errors.append(f"统一社会信用代码 {uscc} 与第{first_line[uscc]}行重复")
            if errors:
                problems.append(Problem(start, "；".join(errors)))
                continue
            first_line[uscc] = start
            orgs[uscc] = OrgInfo(
                uscc=uscc,
                name=rec["name"],
                kind=kind,
                independent_legal_person=flags["independent_legal_person"],
                agi_enterprise=flags["agi_enterprise"],
                group_id=rec.get("group_id", ""),
                registered_in_anhui=flags["registered_in_anhui"],
            )
    if problems:
        raise OrgsFileError(problems)
    return orgs


# --------------------------------------------------------------------------------------------
# Eligibility (三（二）: 在安徽省范围内注册登记且具有独立法人资格的通用人工智能企业、高校院所等)


def eligibility(uscc: str, org: OrgInfo | None) -> tuple[bool, list[str]]:
    from duixian.codes.uscc import check_uscc  # the one place that knows USCCs

    reasons: list[str] = []
    if org is None:
        return False, [gettext_noop("不在组织名单中（未登记的单位），不能享受补助")]
    check = check_uscc(uscc)
    if not check.valid:
        reasons.append(f"统一社会信用代码无效：{check.error}")
    else:
        in_anhui = org.registered_in_anhui if org.registered_in_anhui is not None else check.in_anhui
        if in_anhui is None:
            reasons.append(gettext_noop("统一社会信用代码为中央登记，在皖登记注册尚未确认"))
        elif not in_anhui:
            reasons.append(gettext_noop("未在安徽省范围内注册登记"))
    if org.independent_legal_person is not True:
        reasons.append(gettext_noop("不具有独立法人资格") if org.independent_legal_person is False
                       else gettext_noop("未确认具有独立法人资格"))
    if org.kind == "enterprise":
        if org.agi_enterprise is not True:
            reasons.append(gettext_noop("不是通用人工智能企业") if org.agi_enterprise is False
                           else gettext_noop("未确认为通用人工智能企业"))
    elif org.kind not in ELIGIBLE_KINDS:
        label = KIND_LABELS.get(org.kind, org.kind)
        reasons.append(f"单位类型为{label}：{OTHER_KIND_REASON}")
    return not reasons, reasons


def needs_review(reasons: list[str]) -> bool:
    """Only the kind stands in the way: the province decides whether 三（二）"等" covers it."""
    return len(reasons) == 1 and reasons[0].endswith(OTHER_KIND_REASON)


# --------------------------------------------------------------------------------------------
# The computation


def compute_subsidy(
    metering_path: str | os.PathLike | Sequence[str | os.PathLike],
    orgs: Mapping[str, OrgInfo],
    *,
    period: Period,
    units: object,
    settings: EngineSettings | None = None,
) -> ComputeOutcome:
    """Compute every organisation's subsidy from one metering file (or the stored imports'
    Parquet files); raise MeteringError when the file is refused."""
    unit_factors = normalise_units(units)
    con, temp_dir = connect(settings)
    try:
        source = open_metering(con, metering_path, unit_factors, temp_dir)
        id_key = _repeat_hashes(con, source)
        _register_groups(con, orgs)
        # One scan of every column classifies and sums every row, and hands out, from the
        # same scan, the few rows whose id hash repeats; their copies are settled afterwards.
        totals, rows, any_bad = _totals(_main_pass(con, source, period, id_key), 1, {})
        problems, duplicates = _settle_repeats(con) if id_key else ([], 0)
        if source.missing_columns:
            problems.append(_missing_columns_problem(source))
        # Identical repeats were counted by the scan like any row: their copies are subtracted.
        _, extra_rows, extra_bad = _totals(
            con.execute(_classify_sql("repeat_extra", period)).fetchall(), -1, totals)
        rows += extra_rows
        any_bad = any_bad or extra_bad
        if any_bad:
            problems += _bad_rows(con)
        if problems:
            raise MeteringError(problems)
        results = _results(totals, orgs)
        return ComputeOutcome(results, ComputeStats(rows=rows, duplicates=duplicates,
                                                    organisations=len(results)))
    finally:
        con.close()
        if settings is None or settings.temp_directory is None:
            shutil.rmtree(temp_dir, ignore_errors=True)


@dataclass
class Validated:
    source: object
    rows: int  # rows in the file
    repeats: int  # identical repeats within the file (rows counted once)


def validate_metering(con, path, units: Mapping[str, Decimal], temp_dir: str) -> Validated:
    """Open and validate a metering file without computing anything; raise MeteringError.

    Leaves the views ``metering`` and the table ``repeat_extra`` (lines of identical repeats
    after the first) on the connection, for an import to store the file's records.
    """
    source, problems, repeats = _open_and_check_repeats(con, path, units, temp_dir)
    bad, rows = con.execute(
        "SELECT count(*) FILTER (WHERE NOT ok), count(*) FROM metering").fetchall()[0]
    if bad:
        problems += _bad_rows(con)
    if problems:
        raise MeteringError(problems)
    return Validated(source, rows, repeats)


def _open_and_check_repeats(con, path, units, temp_dir):
    """The ``metering`` view, the problems known before the full scan, and identical repeats."""
    source = open_metering(con, path, units, temp_dir)
    problems, repeats = _check_repeats(con, source)
    if source.missing_columns:
        problems.append(_missing_columns_problem(source))
    return source, problems, repeats


def _missing_columns_problem(source) -> Problem:
    return Problem(1, "表头缺少列：" + "、".join(source.missing_columns))


def _bad_rows(con) -> list[Problem]:
    return [
        Problem(line, message or "无效的行")
        for line, message in con.execute(
            "SELECT line, problem FROM metering WHERE NOT ok ORDER BY line").fetchall()
    ]


def _scalar(con, sql: str):
    # fetchall: DuckDB ≥ 2 keeps a result open until it is exhausted
    return con.execute(sql).fetchall()[0][0]


def _check_repeats(con, source) -> tuple[list[Problem], int]:
    """Find repeated record_ids; set identical repeats aside, report conflicting ones.

    Leaves the table ``repeat_extra`` with the canonical columns of every copy after the first
    of an identical repeat, so that the aggregation can subtract them. (A run does the same
    with the candidates handed out by its main pass, see ``_main_pass``.)
    """
    id_key = _repeat_hashes(con, source)
    if not id_key:
        return [], 0
    # The canonical view over only the rows whose id hash repeats: the filter runs on the raw
    # column inside the scan, so the other rows are never converted. Equal hashes may still be
    # different ids (a collision), hence the grouping by the id itself below.
    source.create_view(con, "repeat_candidates", f"""(
        SELECT * FROM {source.scan}
        WHERE {id_key} IN (SELECT h FROM repeat_hashes))""")
    con.execute(f"""
        CREATE TEMP TABLE repeat_rows AS
        SELECT {", ".join(REPEAT_COLUMNS)} FROM repeat_candidates
        WHERE record_id IS NOT NULL
    """)
    return _settle_repeats(con)


# Up to this many rows, repeats are looked for by a 32-bit hash of the id instead of 64 bits:
# a smaller table to group (≈ 15 % less time at 10M rows), for a few more candidates, which are
# compared exactly like the others (≈ rows / 2**32 of the rows: 0.8 % at this bound).
HASH32_MAX_ROWS = 1 << 25


def _id_hash(record_id: str, rows: int) -> str:
    """The SQL of the hash by which the ids of a file of ``rows`` rows are grouped."""
    if rows <= HASH32_MAX_ROWS:
        return f"CAST(hash({record_id}) >> 32 AS UINTEGER)"
    return f"hash({record_id})"


def _repeat_hashes(con, source) -> str | None:
    """The table ``repeat_hashes`` of the id hashes found on more than one row, and an empty
    ``repeat_extra``; returns the expression of the hash over the scan, None when no hash
    repeats."""
    # The row count comes from the Parquet footers: nothing is read for it.
    key = _id_hash(source.record_id_raw, _scalar(con, f"SELECT count(*) FROM {source.scan}"))
    # Straight from the scan, not through the view: only the one column is decoded. A blank
    # id hashes like any other value; such rows are refused by validation anyway.
    con.execute(f"""
        CREATE TEMP TABLE repeat_hashes AS
        SELECT {key} AS h FROM {source.scan}
        GROUP BY h HAVING count(*) > 1
    """)
    con.execute(f"CREATE TEMP TABLE repeat_extra AS SELECT {', '.join(EXTRA_COLUMNS)} "
                "FROM metering LIMIT 0")
    return key if _scalar(con, "SELECT count(*) FROM repeat_hashes") else None


def _settle_repeats(con) -> tuple[list[Problem], int]:
    """From ``repeat_rows`` (every valid-id row whose id hash repeats, canonical columns):
    the copies after the first of an identical repeat into ``repeat_extra``, and a problem
    on every line of a repeat whose copies differ. The ids and all the columns are compared
    themselves, not their hashes."""
    con.execute("""
        CREATE TEMP TABLE repeat_groups AS
        SELECT record_id, min(line) AS first_line, list(line ORDER BY line) AS lines,
          count(DISTINCT struct_pack(user_uscc, provider_uscc, amount, unit, research,
                                     via_platform, in_province, started_at, ended_at))
            AS variants
        FROM repeat_rows GROUP BY record_id HAVING count(*) > 1
    """)
    con.execute(f"""
        INSERT INTO repeat_extra
        SELECT {", ".join("r." + c for c in EXTRA_COLUMNS)}
        FROM repeat_rows r JOIN repeat_groups g USING (record_id)
        WHERE g.variants = 1 AND r.line > g.first_line
    """)
    problems = []
    for record_id, lines in con.execute(
            "SELECT record_id, lines FROM repeat_groups WHERE variants > 1 ORDER BY first_line"
    ).fetchall():
        named = "、".join(f"第{n}行" for n in lines)
        for n in lines:
            problems.append(Problem(n, f"record_id“{record_id}”重复出现且内容不同（{named}）"))
    return problems, _scalar(con, "SELECT count(*) FROM repeat_extra")


# What the classification reads of a job (also kept for identical repeats, to subtract them).
JOB_COLUMNS = ("ok", "user_uscc", "provider_uscc", "quantity", "research", "via_platform",
               "in_province", "started_at")
# What is kept of an identical repeat's extra copies, and of every repeat candidate.
EXTRA_COLUMNS = ("line", "record_id", *JOB_COLUMNS)
REPEAT_COLUMNS = (*EXTRA_COLUMNS, "ended_at", "unit", "amount")


def _main_pass(con, source, period: Period, id_key: str | None) -> list[tuple]:
    """The one scan of every column: the aggregation's rows (see ``_classify_sql``), and,
    when some id hashes repeat, the table ``repeat_rows`` of the rows that carry them.

    The candidates come out of the same scan as the aggregation: the view ``metering_marked``
    marks them inside the scan, and one statement both aggregates and keeps them (DuckDB
    streams the scan to both, instead of a second scan of every column for 0.1 % of rows).
    """
    if not id_key:
        return con.execute(_classify_sql("metering", period)).fetchall()
    source.create_view(con, "metering_marked", source.scan, mark=(
        "repeat_candidate", f"{id_key} IN (SELECT h FROM repeat_hashes)"))
    candidates = ", ".join(REPEAT_COLUMNS)
    con.execute(f"""
        CREATE TEMP TABLE main_pass AS
        {_classified_cte("metering_marked", period, keep=("repeat_candidate", "line", "record_id",
                                                            "ended_at", "unit", "amount"))}
        SELECT false AS repeat_row, {_AGGREGATE_SELECT}
        UNION ALL BY NAME
        SELECT true AS repeat_row, {candidates}, count(*) AS copies FROM classified
        WHERE repeat_candidate AND record_id IS NOT NULL
        GROUP BY ALL
    """)
    # Grouped so that the scan streams to both (a plain filter would have DuckDB buffer the
    # scan); rows alike in every column, line included (the stored files each count their
    # own lines), come back as many times as they were read.
    con.execute(f"""
        CREATE TEMP TABLE repeat_rows AS SELECT {candidates}
        FROM (SELECT *, unnest(range(copies)) FROM main_pass WHERE repeat_row)
    """)
    return con.execute("SELECT user_side, ok, org, user_bucket, provided, quantity, n "
                       "FROM main_pass WHERE NOT repeat_row").fetchall()


def _totals(aggregated: Iterable[tuple], sign: int, totals: dict[str, dict[str, Decimal]]):
    """Add (sign 1) or subtract (-1) the aggregation's rows (see ``_classify_sql``) to the
    totals per organisation; returns the totals, the valid rows counted and whether a row
    was invalid."""
    rows = 0
    any_bad = False
    for user_side, ok, org, bucket, provided, quantity, n in aggregated:
        if not ok:
            any_bad = True
            continue
        entry = totals.setdefault(org, _zero_totals())
        if user_side:
            rows += sign * n
            entry[USER_KEYS[bucket]] += sign * quantity
        elif provided:
            entry["provided"] += sign * quantity
    return totals, rows, any_bad


def _register_groups(con, orgs: Mapping[str, OrgInfo]) -> None:
    """The table ``org_groups`` (uscc, grp) of the organisations that have a group_id."""
    grouped = [(o.uscc, o.group) for o in orgs.values() if o.group_id]
    # Two lists as parameters, unnested side by side: one statement whatever their length,
    # and no pyarrow import for it.
    con.execute("CREATE TEMP TABLE org_groups AS SELECT unnest($1::VARCHAR[]) AS uscc, "
                "unnest($2::VARCHAR[]) AS grp",
                [[u for u, _ in grouped], [g for _, g in grouped]])


_AGGREGATE_SELECT = """grouping(provider_uscc) = 1 AS user_side, ok,
           coalesce(user_uscc, provider_uscc) AS org, user_bucket, provided,
           sum(quantity) AS quantity, count(*) AS n
    FROM classified
    GROUP BY GROUPING SETS ((ok, user_uscc, user_bucket), (ok, provider_uscc, provided))
"""


def _classify_sql(relation: str, period: Period) -> str:
    return _classified_cte(relation, period) + "SELECT " + _AGGREGATE_SELECT


def _classified_cte(relation: str, period: Period, where: str = "", extra: str = "",
                    keep: Sequence[str] = ()) -> str:
    """The one classification of a job (bucket on the user side, counted on the provider side),
    shared by the aggregation and an organisation's breakdown. ``where`` filters the relation;
    ``extra`` adds columns of ``jobs`` to ``classified``; ``keep`` carries more columns of the
    relation through both."""
    start, end = period.start.isoformat(), period.end.isoformat()
    kept = "".join(f", {c}" for c in ("research", "via_platform", "in_province", "started_at",
                                       *keep)) if keep else ""
    return f"""
    WITH jobs AS (
      SELECT m.ok, m.user_uscc, m.provider_uscc, m.quantity, m.research, m.via_platform,
        m.in_province, m.started_at{"".join(f", m.{c}" for c in keep)},
        m.started_at >= TIMESTAMPTZ {_lit(start)} AND m.started_at < TIMESTAMPTZ {_lit(end)}
          AS in_period,
        -- an organisation is in its own group unless the list gives it a group_id
        m.user_uscc = m.provider_uscc OR coalesce(gu.grp = gp.grp, false) AS same_group
      FROM {relation} m
      LEFT JOIN org_groups gu ON gu.uscc = m.user_uscc
      LEFT JOIN org_groups gp ON gp.uscc = m.provider_uscc
      {where}
    ), classified AS (
      SELECT ok, user_uscc, provider_uscc, quantity{extra}{kept},
        -- small integers, not names: 10 million rows are hashed by them (see USER_KEYS)
        CASE
          WHEN NOT in_period THEN 1  -- outside_period
          -- 三（一）2 算力使用方应通过省级智能算力统筹调度平台统一入口使用省内智能算力
          WHEN NOT via_platform THEN 2  -- not_via_platform
          WHEN NOT in_province THEN 3  -- outside_province
          -- 三（一）3 补助范围不属于自建自用范畴（本企业或关联企业）
          WHEN same_group THEN 4  -- self_or_affiliate
          -- 三（一）1 企业经营性算力使用不纳入本政策支持范围
          WHEN NOT research THEN 5  -- business
          ELSE 0  -- used
        END::UTINYINT AS user_bucket,
        -- 算力被使用量（接入平台算力量）: other groups' via-platform jobs in the period
        in_period AND via_platform AND NOT same_group AS provided
      FROM jobs
    )
    """


# The user-side bucket codes of _classify_sql, in CONTRACTS §3's order of precedence.
USER_KEYS = ("used", *BUCKETS)


def _zero_totals() -> dict[str, Decimal]:
    return {key: Decimal(0) for key in ("used", "provided", *BUCKETS)}


def _results(totals: dict[str, dict[str, Decimal]], orgs: Mapping[str, OrgInfo]) -> list[SubsidyResult]:
    results = []
    for uscc in sorted(set(totals) | set(orgs)):
        t = totals.get(uscc) or _zero_totals()
        org = orgs.get(uscc)
        net = t["used"] - t["provided"]
        eligible, reasons = eligibility(uscc, org)
        if (eligible or needs_review(reasons)) and net <= 0:
            # 三（一）4 当算力补助量大于0时，才可计算补助 (nothing for the province to decide either)
            reasons = [gettext_noop("算力补助量（使用量−被使用量）不大于0，不予补助")]
        results.append(SubsidyResult(
            uscc=uscc,
            name=org.name if org else None,
            used=t["used"],
            provided=t["provided"],
            net=net,
            excluded={b: t[b] for b in BUCKETS},
            eligible=eligible,
            reasons=reasons,
            subsidy_quantity=net if eligible and net > 0 else Decimal(0),
            needs_review=needs_review(reasons),
        ))
    return results


# --------------------------------------------------------------------------------------------
# One organisation's breakdown (what it sees after publication)


def organisation_breakdown(
    paths: Sequence[str | os.PathLike],
    uscc: str,
    orgs: Mapping[str, OrgInfo],
    *,
    period: Period,
    units: object,
    tz: str = "Asia/Shanghai",
    settings: EngineSettings | None = None,
) -> dict:
    """One organisation's quantities by month (of ``started_at`` in ``tz``) and by counterpart,
    with DuckDB over the stored (already validated and deduplicated) Parquet files.

    Reads only the rows where the organisation is the user or the provider (Parquet statistics
    and the filter inside the scan keep the rest unread) and classifies them exactly as the
    run does, so the months and the counterparts each add up to the run's totals:

    - ``months``: ``[{"month": "2025-09", "used", "provided", "excluded": {bucket: x}}]``;
    - ``providers``: its jobs by whose compute ran them: ``used`` and ``excluded`` by bucket;
    - ``users``: other groups' jobs on its compute by user: ``provided``.

    Quantities are decimal strings (format_decimal); lists are sorted by month or USCC.
    """
    uscc = uscc.strip().upper()
    unit_factors = normalise_units(units)
    con, temp_dir = connect(settings)
    try:
        open_metering(con, list(paths), unit_factors, temp_dir)
        _register_groups(con, orgs)
        where = f"WHERE m.user_uscc = {_lit(uscc)} OR m.provider_uscc = {_lit(uscc)}"
        zone = tz if isinstance(tz, str) else str(tz)
        extra = f", strftime(timezone({_lit(zone)}, started_at), '%Y-%m') AS month"
        rows = con.execute(_classified_cte("metering", period, where, extra) + """
            SELECT month, user_uscc, provider_uscc, user_bucket, provided, sum(quantity)
            FROM classified WHERE ok
            GROUP BY month, user_uscc, provider_uscc, user_bucket, provided
        """).fetchall()
    finally:
        con.close()
        if settings is None or settings.temp_directory is None:
            shutil.rmtree(temp_dir, ignore_errors=True)

    def zero_user() -> dict:
        return {"used": Decimal(0), "excluded": {b: Decimal(0) for b in BUCKETS}}

    months: dict[str, dict] = {}
    providers: dict[str, dict] = {}
    users: dict[str, Decimal] = {}
    for month, user, provider, bucket, provided, quantity in rows:
        m = months.setdefault(month, {**zero_user(), "provided": Decimal(0)})
        if user == uscc:
            p = providers.setdefault(provider, zero_user())
            key = USER_KEYS[bucket]
            for target in (m, p):
                if key == "used":
                    target["used"] += quantity
                else:
                    target["excluded"][key] += quantity
        if provider == uscc and provided:
            m["provided"] += quantity
            users[user] = users.get(user, Decimal(0)) + quantity

    def fmt_user(d: dict) -> dict:
        return {"used": format_decimal(d["used"]),
                "excluded": {b: format_decimal(d["excluded"][b]) for b in BUCKETS}}

    return {
        "uscc": uscc,
        "months": [{"month": k, **fmt_user(v), "provided": format_decimal(v["provided"])}
                   for k, v in sorted(months.items())],
        "providers": [{"uscc": k, **fmt_user(v)} for k, v in sorted(providers.items())],
        "users": [{"uscc": k, "provided": format_decimal(v)} for k, v in sorted(users.items())],
    }
