"""Reading and validating a metering file (CONTRACTS §3) with DuckDB.

A metering file is CSV with a header or Parquet with the same columns; Parquet columns may be
strings or typed (decimal, boolean, timestamp with zone). This module turns either into one
DuckDB view, ``metering``, with canonical typed columns, the file line of every row and a
Chinese message for every problem in it, so that the engine can validate and aggregate in a
single scan and only look at the messages when something is wrong.

Decisions (documented in docs/compute-subsidy.md):
- Values are trimmed, except ``record_id`` which is taken as written; USCCs are upper-cased
  (CONTRACTS §1); booleans accept true/false in any case; ``purpose`` and ``unit`` are
  case-sensitive.
- ``amount`` is a plain decimal (no exponent) with at most 6 decimal places, so that nothing is
  rounded silently; it is held as DECIMAL(38,6), never as a float.
- A datetime must carry an offset (``Z``, ``+08``, ``+0800`` or ``+08:00``); a typed Parquet
  TIMESTAMP without time zone is "without an offset" on every row.
- Bounds (issue 16), the same for the CLI, the browser import and the push API: offsets within
  ±14:00 (DuckDB itself takes ``+99:99``), years 2000–2100, ``ended_at`` not before
  ``started_at``, ``record_id`` at most 128 characters, and no column outside ``COLUMNS``
  (refused on line 1 rather than dropped).
- CSV is tokenised so that the reported line is the physical line on which the record starts,
  even when a quoted value spans lines, and a row with too few or too many fields is reported
  instead of being padded: plain files (no quotes, one record per line) by Arrow's fast reader,
  anything else, or anything Arrow refuses, by Python's csv module (strict quoting), line by
  line. The tokens go to a temporary Parquet file; everything after that is DuckDB.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

# pyarrow is imported where a CSV file is tokenised, not here: a Parquet file (and every
# stored import) is read by DuckDB alone, and importing pyarrow costs ~0.05 s at start-up.

COLUMNS = (
    "record_id",
    "user_uscc",
    "provider_uscc",
    "amount",
    "unit",
    "purpose",
    "via_platform",
    "in_province",
    "started_at",
    "ended_at",
)
PURPOSES = ("research", "business")
# Bounds every row must keep (docs/compute-subsidy.md, 二 and 五): a metered job is a recent
# event with an ordinary id, not a record shifted by days or a megabyte of identifier.
RECORD_ID_MAX = 128  # characters
YEAR_MIN, YEAR_MAX = 2000, 2100  # started_at and ended_at, as written (or in UTC when typed)
OFFSET_MAX = "14:00"  # UTC offsets from -14:00 to +14:00, minutes 00–59
SCALE = 6  # decimal places kept for amounts: DECIMAL(38,6)
DECIMAL_TYPE = f"DECIMAL(38,{SCALE})"

# Column names internal to the CSV → Parquet conversion; a user's file cannot collide with
# them in practice, and they are only read when the source is our own conversion.
LINE_COLUMN = "_duixian_line"
SHAPE_COLUMN = "_duixian_shape"

CSV_BATCH_ROWS = 65_536
SCAN_TOKEN = "/*scan*/"
# Where a view over the scan may carry one more column, computed from the raw scan (a mark).
MARK_OUT_TOKEN, MARK_IN_TOKEN = "/*mark-out*/", "/*mark-in*/"


@dataclass(frozen=True)
class Problem:
    """One bad line of a refused file. ``line`` is 1 for the header or the file as a whole."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行：{self.message}"


class MeteringError(Exception):
    """The whole file is refused; ``problems`` lists every bad line, in line order."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.line, p.message))
        super().__init__(f"计量文件有 {len(self.problems)} 处错误，整个文件未被接受")

    def lines(self) -> list[int]:
        return sorted({p.line for p in self.problems})


@dataclass(frozen=True)
class EngineSettings:
    """Resource bounds for DuckDB: the engine must stay small whatever the file size."""

    memory_limit: str = "256MB"
    threads: int = 2
    temp_directory: str | None = None  # a fresh directory under the system temp when None


def connect(settings: EngineSettings | None = None) -> tuple[duckdb.DuckDBPyConnection, str]:
    """An in-memory DuckDB connection with bounded memory; returns it and its temp directory."""
    settings = settings or EngineSettings()
    temp_dir = settings.temp_directory or tempfile.mkdtemp(prefix="duixian-duckdb-")
    os.makedirs(temp_dir, exist_ok=True)
    # No progress bar: it would be printed into the command's output (JSON on stdout).
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET memory_limit = {_lit(settings.memory_limit)}")
    con.execute(f"SET threads = {int(settings.threads)}")
    con.execute(f"SET temp_directory = {_lit(temp_dir)}")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET TimeZone = 'UTC'")
    return con, temp_dir


def _sql_str(value: str) -> str:
    return value.replace("'", "''")


def _lit(value: str) -> str:
    return "'" + _sql_str(value) + "'"


def is_parquet(path: str | os.PathLike) -> bool:
    with open(path, "rb") as f:
        return f.read(4) == b"PAR1"


# --------------------------------------------------------------------------------------------
# A partitioned dataset: a local folder or an S3 prefix of Parquet files


S3_PREFIX = "s3://"


def is_dataset(location: str | os.PathLike) -> bool:
    """An ``s3://bucket/prefix/`` location or a local folder: every ``*.parquet`` file under it,
    at any depth (e.g. hive-style ``month=2025-09/part-0.parquet``), is one metering file."""
    return str(location).startswith(S3_PREFIX) or Path(location).is_dir()


def _dataset_scan(con, location: str) -> str:
    """The scan of every Parquet file under ``location``, read by DuckDB where it lies.

    Lines count through the files in name order (a row's line is its index in the files put
    end to end, + 2), so that two copies of a record in different files have different lines.
    Every file carries all the columns: partition folders only arrange the files (their
    ``key=value`` names are not read as columns).
    """
    if location.startswith(S3_PREFIX):
        register_s3(con)
    pattern = location.rstrip("/") + "/**/*.parquet"
    try:
        names = [n for (n,) in con.execute("SELECT file FROM glob(?)", [pattern]).fetchall()]
        if not names:
            raise MeteringError([Problem(1, f"计量文件目录 {location} 中没有Parquet文件")])
        files = con.execute("SELECT file_name, num_rows FROM parquet_file_metadata(?) "
                            "ORDER BY file_name", [names]).fetchall()
    except duckdb.Error as exc:
        raise MeteringError([Problem(1, f"无法读取计量文件目录 {location}：{exc}")]) from None
    names, starts, start = [], [], 0
    for name, rows in files:
        names.append(name)
        starts.append(start)
        start += rows
    con.execute("CREATE OR REPLACE TEMP TABLE metering_files AS SELECT unnest($1::VARCHAR[]) AS "
                "name, unnest($2::BIGINT[]) AS start", [names, starts])
    listed = "[" + ", ".join(_lit(n) for n in names) + "]"
    return f"""(SELECT p.* EXCLUDE (filename, file_row_number),
        p.file_row_number + f.start AS file_row_number
      FROM read_parquet({listed}, file_row_number = true, filename = true,
                        hive_partitioning = false) p
      JOIN metering_files f ON f.name = p.filename)"""


def register_s3(con) -> None:
    """Let DuckDB read ``s3://`` paths through Arrow's S3 client (bundled with pyarrow; DuckDB's
    own httpfs extension would be downloaded at run time, which a closed network refuses).

    Credentials and place come from the environment, the same variables as the materials'
    bucket (docs/deploy.md): S3_ENDPOINT_URL (an S3-compatible store: MinIO, OBS, OSS, COS…,
    e.g. http://minio:9000), S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, each falling
    back to its usual AWS_* name (AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN). Needs fsspec (``pip install 'duixian[s3]'``).
    """
    from fsspec.implementations.arrow import ArrowFSWrapper
    from pyarrow import fs

    def env(name: str) -> str | None:
        return os.environ.get(f"S3_{name}") or os.environ.get(f"AWS_{name}")

    endpoint = env("ENDPOINT_URL")
    options = {"region": env("REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"}
    if endpoint:
        scheme, _, host = endpoint.rpartition("://")
        options.update(endpoint_override=host.rstrip("/"), scheme=scheme or "https")
    if env("ACCESS_KEY_ID"):
        options.update(access_key=env("ACCESS_KEY_ID"), secret_key=env("SECRET_ACCESS_KEY") or "",
                       session_token=os.environ.get("AWS_SESSION_TOKEN"))

    class S3(ArrowFSWrapper):
        protocol = "s3"

    con.register_filesystem(S3(fs.S3FileSystem(**options)))


# --------------------------------------------------------------------------------------------
# CSV → Parquet (tokenising only; validation happens in SQL like for any Parquet file)


def _decoded_lines(raw: Iterable[bytes], bad_lines: dict[int, str]) -> Iterator[str]:
    """Decode physical lines one by one, so that an encoding error is pinned to its line."""
    for number, chunk in enumerate(raw, start=1):
        if number == 1 and chunk.startswith(b"\xef\xbb\xbf"):
            chunk = chunk[3:]
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError:
            bad_lines[number] = "不是UTF-8编码（请以UTF-8保存CSV文件）"
            text = chunk.decode("utf-8", errors="replace")
        if "\x00" in text:
            bad_lines.setdefault(number, "包含空字符（NUL）")
            text = text.replace("\x00", "")
        yield text


def csv_to_parquet(path: str | os.PathLike, out_path: str | os.PathLike) -> None:
    """Tokenise a metering CSV into a string-typed Parquet file with each record's line.

    Raises MeteringError for problems that concern the file as a whole (no header, repeated
    header names). Row-level problems (wrong number of fields, bad encoding, broken quoting)
    are written to the shape column and reported with the other row problems.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    bad_lines: dict[int, str] = {}
    with open(path, "rb") as raw:
        lines = _decoded_lines(raw, bad_lines)
        reader = csv.reader(lines, strict=True)
        header: list[str] | None = None
        while header is None:
            try:
                row = next(reader)
            except StopIteration:
                raise MeteringError([Problem(1, "文件为空，缺少表头")]) from None
            except csv.Error as exc:
                raise MeteringError([Problem(1, f"表头不是有效的CSV：{exc}")]) from None
            if row:
                header = [name.strip() for name in row]
        if reader.line_num != 1:
            # Blank lines before the header: the header must be line 1 for numbers to agree.
            raise MeteringError([Problem(1, "第1行必须是表头")])
        if 1 in bad_lines:
            raise MeteringError([Problem(1, bad_lines[1])])
        seen: set[str] = set()
        repeated = sorted({h for h in header if h and (h in seen or seen.add(h))})
        if repeated:
            raise MeteringError([Problem(1, "表头中的列名重复：" + "、".join(repeated))])
        unknown = unknown_columns(header)
        if unknown:
            raise MeteringError([Problem(1, unknown)])
        wanted = [c for c in COLUMNS if c in header]
        if wanted and _is_plain(path) and _fast_tokenise(path, out_path, header, wanted):
            return
        index = {c: header.index(c) for c in wanted}
        width = len(header)

        schema = pa.schema(
            [(c, pa.string()) for c in wanted]
            + [(LINE_COLUMN, pa.int64()), (SHAPE_COLUMN, pa.string())]
        )
        columns: dict[str, list] = {name: [] for name in schema.names}
        with pq.ParquetWriter(out_path, schema, compression="zstd") as writer:

            def flush() -> None:
                writer.write_batch(pa.record_batch(
                    [pa.array(columns[n], type=schema.field(n).type) for n in schema.names],
                    schema=schema,
                ))
                for values in columns.values():
                    values.clear()

            while True:
                start = reader.line_num + 1
                try:
                    row = next(reader)
                    shape = None
                except StopIteration:
                    break
                except csv.Error as exc:
                    row, shape = [], f"不是有效的CSV行：{exc}"
                if not row and shape is None:
                    continue  # a blank line carries no record
                end = reader.line_num
                for number in range(start, end + 1):
                    if number in bad_lines:
                        shape = bad_lines[number]
                        break
                if shape is None and len(row) != width:
                    if len(row) < width:
                        missing = [h for h in header[len(row):] if h in COLUMNS]
                        shape = f"字段数（{len(row)}）少于表头（{width}）" + (
                            "，缺少列：" + "、".join(missing) if missing else "")
                    else:
                        shape = f"字段数（{len(row)}）多于表头（{width}）"
                for c in wanted:
                    i = index[c]
                    columns[c].append(row[i] if i < len(row) else None)
                columns[LINE_COLUMN].append(start)
                columns[SHAPE_COLUMN].append(shape)
                if len(columns[LINE_COLUMN]) >= CSV_BATCH_ROWS:
                    flush()
            flush()


def unknown_columns(names: Iterable[str]) -> str | None:
    """The message for columns outside CONTRACTS §3, or None. Nothing a file carries is
    dropped silently: an unknown column is refused, like a missing one."""
    unknown = [name for name in names if name not in COLUMNS]
    if not unknown:
        return None
    shown = "、".join(f"“{name}”" if name else "（无列名）" for name in unknown[:10])
    more = f"等 {len(unknown)} 列" if len(unknown) > 10 else ""
    return f"表头中有未知的列：{shown}{more}（只接受：{'、'.join(COLUMNS)}）"


def _is_plain(path: str | os.PathLike) -> bool:
    """No quotes, NUL bytes or lone carriage returns: every record is exactly one line, so
    Arrow's fast CSV reader gives the same rows and line numbers as the exact tokeniser."""
    carry = b""
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 23), b""):
            chunk = carry + chunk
            if b'"' in chunk or b"\x00" in chunk:
                return False
            body, carry = (chunk[:-1], chunk[-1:]) if chunk.endswith(b"\r") else (chunk, b"")
            if body.count(b"\r") != body.count(b"\r\n"):
                return False
    return carry == b""


def _fast_tokenise(path, out_path, header: list[str], wanted: list[str]) -> bool:
    """Arrow's multi-threaded CSV reader for plain files; False when the exact path is needed
    (a row with the wrong number of fields, invalid UTF-8, a blank line)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
    # Arrow's compute functions called by name. Importing pyarrow.compute builds ~300 Python
    # wrappers (0.08-0.19 s here), which `duixian subsidy compute` on a small file notices; its
    # call_function lives in the private pyarrow._compute, so fall back to the public one if it moves.
    try:
        from pyarrow._compute import call_function
    except ImportError:  # pragma: no cover - a pyarrow release that moved it
        from pyarrow.compute import call_function

    schema = pa.schema([(c, pa.string()) for c in wanted]
                       + [(LINE_COLUMN, pa.int64()), (SHAPE_COLUMN, pa.string())])
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(quote_char=False, newlines_in_values=False,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in wanted}, include_columns=wanted,
                strings_can_be_null=False),
        )
        line = 2
        with pq.ParquetWriter(out_path, schema, compression="zstd") as writer:
            for batch in reader:
                n = batch.num_rows
                columns = [batch.column(c) for c in wanted]
                empty = call_function("equal", [columns[0], ""])
                for col in columns[1:]:
                    empty = call_function("and", [empty, call_function("equal", [col, ""])])
                if call_function("any", [empty]).as_py():
                    return False  # a blank line: the exact path skips it and keeps numbering
                lines = pa.array(range(line, line + n), pa.int64())
                writer.write_batch(pa.record_batch(
                    [*columns, lines, pa.nulls(n, pa.string())], schema=schema))
                line += n
        return True
    except (pa.ArrowInvalid, pa.ArrowException):
        return False


# --------------------------------------------------------------------------------------------
# Canonical columns and their messages, by source type


@dataclass
class ColumnSQL:
    value: str  # canonical value (NULL when invalid)
    message: str  # a Chinese message, NULL when the value is valid


def _text(col: str, dtype: str | None, *, upper: bool = False) -> ColumnSQL:
    if dtype is None:
        return _missing(col)
    raw = f'"{col}"' if dtype == "VARCHAR" else f'CAST("{col}" AS VARCHAR)'
    value = f"NULLIF(trim({raw}), '')"
    if upper:
        value = f"upper({value})"
    return ColumnSQL(value, f"CASE WHEN {value} IS NULL THEN '“{col}”为空' END")


def _identifier(col: str, dtype: str | None) -> ColumnSQL:
    """A record id is taken as written (no trimming: ids are opaque and unique, so trimming
    10 million distinct strings would cost more than the rest of the validation)."""
    if dtype is None:
        return _missing(col)
    value = f'"{col}"' if dtype == "VARCHAR" else f'CAST("{col}" AS VARCHAR)'
    blank = f"{value} IS NULL OR {value} = '' OR (ascii({value}) <= 32 AND trim({value}) = '')"
    # First the usual id, decided at once: it starts above a space (so it is not blank) and
    # has at most RECORD_ID_MAX bytes (so at most as many characters); then the exact test.
    usual = f"ascii({value}) > 32 AND strlen({value}) <= {RECORD_ID_MAX}"
    return ColumnSQL(f"CASE WHEN {usual} THEN {value} "
                     f"WHEN NOT ({blank}) AND length({value}) <= {RECORD_ID_MAX} THEN {value} END",
                     f"CASE WHEN {blank} THEN '“{col}”为空' "
                     f"WHEN length({value}) > {RECORD_ID_MAX} THEN '“{col}”超过{RECORD_ID_MAX}个字符（共' "
                     f"|| length({value}) || '个）' END")


def _missing(col: str) -> ColumnSQL:
    return ColumnSQL("NULL", f"'缺少列“{col}”'")


def _choice(col: str, dtype: str | None, allowed: Iterable[str], what: str) -> ColumnSQL:
    base = _text(col, dtype)
    if dtype is None:
        return base
    allowed_sql = ", ".join(_lit(a) for a in allowed) or "NULL"
    value = f"CASE WHEN {base.value} IN ({allowed_sql}) THEN {base.value} END"
    message = (
        f"CASE WHEN {base.value} IS NULL THEN '“{col}”为空' "
        f"WHEN {base.value} NOT IN ({allowed_sql}) THEN "
        f"'{what}“' || {base.value} || '”' END"
    )
    return ColumnSQL(value, message)


_NUMBER_RE = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$"
_TOO_PRECISE_RE = r"\.[0-9]{" + str(SCALE + 1) + ",}$"
_AMOUNT_RE = r"\s*\+?([0-9]{1,32}(\.[0-9]{0," + str(SCALE) + r"})?|\.[0-9]{1," + str(SCALE) + r"})\s*"


def _amount(dtype: str | None) -> ColumnSQL:
    col = '"amount"'
    if dtype is None:
        return _missing("amount")
    negative = "'“amount”不能为负数'"
    if dtype != "VARCHAR" and not _is_numeric(dtype):
        # booleans, timestamps, … are never amounts
        return ColumnSQL("NULL", f"CASE WHEN {col} IS NULL THEN '“amount”为空' "
                                 f"ELSE '“amount”不是有效的数字' END")
    if dtype == "VARCHAR":
        # One regular expression decides validity (no sign, ≤ 32 integer digits, ≤ 6 decimals)
        # so that a valid row costs one match and one cast; the messages are for bad rows only.
        value = (f"CASE WHEN regexp_full_match({col}, '{_AMOUNT_RE}') "
                 f"THEN TRY_CAST({col} AS {DECIMAL_TYPE}) END")
        s = f"trim({col})"
        message = (
            f"CASE WHEN {col} IS NULL OR {s} = '' THEN '“amount”为空' "
            f"WHEN NOT regexp_matches({s}, '{_NUMBER_RE}') THEN '“amount”不是有效的数字：' || {s} "
            f"WHEN starts_with({s}, '-') THEN {negative} "
            f"WHEN regexp_matches({s}, '{_TOO_PRECISE_RE}') "
            f"THEN '“amount”小数位数超过{SCALE}位：' || {s} "
            f"ELSE '“amount”超出范围：' || {s} END"
        )
        return ColumnSQL(value, message)
    if dtype.startswith(("FLOAT", "DOUBLE")):
        parsed = f"TRY_CAST({col} AS {DECIMAL_TYPE})"
        exact = f"CAST({parsed} AS DOUBLE) = {col}"
        value = f"CASE WHEN isfinite({col}) AND {exact} AND {col} >= 0 THEN {parsed} END"
        message = (
            f"CASE WHEN {col} IS NULL THEN '“amount”为空' "
            f"WHEN NOT isfinite({col}) OR {parsed} IS NULL THEN '“amount”不是有效的数字' "
            f"WHEN NOT ({exact}) THEN '“amount”小数位数超过{SCALE}位' "
            f"WHEN {col} < 0 THEN {negative} END"
        )
        return ColumnSQL(value, message)
    scale = _decimal_scale(dtype)
    if scale is not None and scale > SCALE:
        parsed = f"TRY_CAST({col} AS {DECIMAL_TYPE})"
        exact = f"{parsed} = {col}"
        value = f"CASE WHEN {exact} AND {col} >= 0 THEN {parsed} END"
        message = (
            f"CASE WHEN {col} IS NULL THEN '“amount”为空' "
            f"WHEN {parsed} IS NULL THEN '“amount”超出范围' "
            f"WHEN NOT ({exact}) THEN '“amount”小数位数超过{SCALE}位' "
            f"WHEN {col} < 0 THEN {negative} END"
        )
        return ColumnSQL(value, message)
    # Integers and decimals with scale ≤ 6: the cast is exact (HUGEINT may still overflow).
    parsed = f"TRY_CAST({col} AS {DECIMAL_TYPE})"
    value = f"CASE WHEN {col} >= 0 THEN {parsed} END"
    message = (
        f"CASE WHEN {col} IS NULL THEN '“amount”为空' "
        f"WHEN {parsed} IS NULL THEN '“amount”超出范围' "
        f"WHEN {col} < 0 THEN {negative} END"
    )
    return ColumnSQL(value, message)


def _is_numeric(dtype: str) -> bool:
    return dtype.startswith(("DECIMAL", "FLOAT", "DOUBLE")) or dtype in {
        "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
        "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT",
    }


def _decimal_scale(dtype: str) -> int | None:
    if dtype.startswith("DECIMAL(") and dtype.endswith(")"):
        return int(dtype[len("DECIMAL("):-1].split(",")[1])
    return None


def _boolean(col: str, dtype: str | None) -> ColumnSQL:
    if dtype is None:
        return _missing(col)
    q = f'"{col}"'
    if dtype == "BOOLEAN":
        return ColumnSQL(q, f"CASE WHEN {q} IS NULL THEN '“{col}”为空' END")
    s = f"lower(trim(CAST({q} AS VARCHAR)))"
    value = f"CASE {s} WHEN 'true' THEN true WHEN 'false' THEN false END"
    message = (
        f"CASE WHEN {q} IS NULL OR {s} = '' THEN '“{col}”为空' "
        f"WHEN {s} NOT IN ('true', 'false') THEN "
        f"'“{col}”应为 true 或 false，实为“' || trim(CAST({q} AS VARCHAR)) || '”' END"
    )
    return ColumnSQL(value, message)


# An ISO 8601 date and time; the offset group decides "without an offset" from "bad".
_DATETIME_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?"
_OFFSET_RE = r"(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$"
# What is accepted: a year from YEAR_MIN to YEAR_MAX and an offset within ±14:00.
_SANE_YEAR_RE = r"^(20[0-9]{2}|2100)-"
_SANE_OFFSET_RE = r"(Z|z|[+-](0[0-9]|1[0-3])(:?[0-5][0-9])?|[+-]14(:?00)?)$"
assert (YEAR_MIN, YEAR_MAX, OFFSET_MAX) == (2000, 2100, "14:00"), "update the two patterns above"
_TS_MIN, _TS_MAX = f"TIMESTAMPTZ '{YEAR_MIN}-01-01 00:00:00+00'", f"TIMESTAMPTZ '{YEAR_MAX + 1}-01-01 00:00:00+00'"


def _datetime(col: str, dtype: str | None) -> ColumnSQL:
    if dtype is None:
        return _missing(col)
    q = f'"{col}"'
    if "TZ" in dtype or "TIME ZONE" in dtype:  # e.g. TIMESTAMPTZ_NS (pandas' default unit)
        typed = q if dtype == "TIMESTAMP WITH TIME ZONE" else f"CAST({q} AS TIMESTAMPTZ)"
        sane = f"{typed} >= {_TS_MIN} AND {typed} < {_TS_MAX}"
        return ColumnSQL(f"CASE WHEN {sane} THEN {typed} END",
                         f"CASE WHEN {q} IS NULL THEN '“{col}”为空' WHEN NOT ({sane}) THEN "
                         f"'“{col}”的年份超出范围（{YEAR_MIN}—{YEAR_MAX}年）：' || CAST({typed} AS VARCHAR) END")
    if dtype.startswith("TIMESTAMP") or dtype == "DATE":
        return ColumnSQL("NULL", f"CASE WHEN {q} IS NULL THEN '“{col}”为空' "
                                 f"ELSE '“{col}”没有时区偏移（如 +08:00）' END")
    if dtype != "VARCHAR":
        return ColumnSQL("NULL", f"CASE WHEN {q} IS NULL THEN '“{col}”为空' "
                                 f"ELSE '“{col}”不是有效的日期时间' END")
    s = f"trim({q})"
    with_offset = f"regexp_matches({s}, '{_DATETIME_RE}{_OFFSET_RE}')"
    without_offset = f"regexp_matches({s}, '{_DATETIME_RE}$')"
    parsed = f"TRY_CAST({s} AS TIMESTAMPTZ)"
    # valid rows: one full match (surrounding blanks allowed, the cast ignores them) and a cast;
    # the pattern itself bounds the year and the offset (DuckDB would take +99:99 or 9999).
    full = ("(20[0-9]{2}|2100)" + _DATETIME_RE[len("^[0-9]{4}"):] + _SANE_OFFSET_RE).rstrip("$")
    value = (f"CASE WHEN regexp_full_match({q}, '\\s*{full}\\s*') "
             f"THEN TRY_CAST({q} AS TIMESTAMPTZ) END")
    message = (
        f"CASE WHEN {q} IS NULL OR {s} = '' THEN '“{col}”为空' "
        f"WHEN {without_offset} THEN '“{col}”没有时区偏移（如 +08:00）：' || {s} "
        f"WHEN NOT {with_offset} OR {parsed} IS NULL THEN '“{col}”不是有效的日期时间：' || {s} "
        f"WHEN NOT regexp_matches({s}, '{_SANE_OFFSET_RE}') "
        f"THEN '“{col}”的时区偏移超出范围（应在 -{OFFSET_MAX} 至 +{OFFSET_MAX} 之间）：' || {s} "
        f"WHEN NOT regexp_matches({s}, '{_SANE_YEAR_RE}') "
        f"THEN '“{col}”的年份超出范围（{YEAR_MIN}—{YEAR_MAX}年）：' || {s} END"
    )
    return ColumnSQL(value, message)


# --------------------------------------------------------------------------------------------


@dataclass
class MeteringSource:
    """A metering file opened on a connection as the view ``metering``.

    Columns of the view: ``line`` (file line), ``record_id``, ``user_uscc``, ``provider_uscc``,
    ``amount`` (DECIMAL(38,6)), ``unit``, ``quantity`` (amount in the base unit),
    ``research`` (purpose = research), ``via_platform``, ``in_province``, ``started_at``,
    ``ended_at`` (TIMESTAMPTZ), ``problem`` (messages joined with "；", NULL when the row is
    valid) and ``ok``.
    """

    path: Path
    parquet_path: Path
    from_csv: bool
    scan: str  # the table function reading the file
    record_id_raw: str  # record_id as read, for hashing straight from the scan
    types: dict[str, str] = field(default_factory=dict)
    view_sql: str = ""  # the view's SELECT with SCAN_TOKEN where the scan goes

    def create_view(self, con, name: str, scan: str, mark: tuple[str, str] | None = None) -> None:
        """The canonical view over a scan (the file, or a filtered subset of it).

        ``mark`` is (name, expression): one more column of the view, the expression computed
        over the raw columns of the scan (e.g. whether the row's id hash repeats)."""
        sql = self.view_sql.replace(SCAN_TOKEN, scan)
        if mark is not None:
            column, expression = mark
            sql = (sql.replace(MARK_OUT_TOKEN, f"{column}, ")
                   .replace(MARK_IN_TOKEN, f"{expression} AS {column}, "))
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS " + sql)

    @property
    def missing_columns(self) -> list[str]:
        return [c for c in COLUMNS if c not in self.types]


def open_metering(
    con: duckdb.DuckDBPyConnection,
    path: str | os.PathLike | Sequence[str | os.PathLike],
    units: Mapping[str, Decimal],
    temp_dir: str,
) -> MeteringSource:
    """Create the ``metering`` view over a CSV or Parquet file (no rows are read yet).

    ``path`` may also be a list of Parquet files with the same columns (the stored imports);
    their line numbers are then per file and only meaningful for a single file.
    """
    one_file = isinstance(path, (str, os.PathLike))  # a file to import, not the stored imports
    dataset = one_file and is_dataset(path)
    if dataset:
        scan = _dataset_scan(con, str(path))
        path = parquet_path = Path(str(path))
        from_csv, line = False, "file_row_number + 2"
    elif one_file:
        path = Path(path)
        if not path.is_file():
            raise MeteringError([Problem(1, f"找不到计量文件：{path}")])
        from_csv = not is_parquet(path)
        paths = [path]
    else:  # stored files: local paths, or s3:// objects (kept as text: Path would fold the //)
        paths = [p if str(p).startswith(S3_PREFIX) else Path(p) for p in path]
        from_csv = False
        if any(str(p).startswith(S3_PREFIX) for p in paths):
            register_s3(con)
        path = Path(paths[0]) if paths else Path()
    if dataset:
        pass
    elif from_csv:
        parquet_path = Path(temp_dir) / "metering-from-csv.parquet"
        csv_to_parquet(path, parquet_path)
        scan = f"read_parquet({_lit(str(parquet_path))})"
        line = LINE_COLUMN
    elif paths:
        parquet_path = path
        files = "[" + ", ".join(_lit(str(p)) for p in paths) + "]"
        scan = f"read_parquet({files}, file_row_number = true)"
        line = "file_row_number + 2"
    else:  # no stored imports yet: an empty, typed relation
        parquet_path = path
        scan = f"""(SELECT NULL::VARCHAR AS record_id, NULL::VARCHAR AS user_uscc,
            NULL::VARCHAR AS provider_uscc, NULL::{DECIMAL_TYPE} AS amount, NULL::VARCHAR AS unit,
            NULL::VARCHAR AS purpose, NULL::BOOLEAN AS via_platform, NULL::BOOLEAN AS in_province,
            NULL::TIMESTAMPTZ AS started_at, NULL::TIMESTAMPTZ AS ended_at,
            NULL::BIGINT AS file_row_number LIMIT 0)"""
        line = "file_row_number + 2"
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()
    except duckdb.Error as exc:
        raise MeteringError([Problem(1, f"无法读取Parquet文件：{exc}")]) from None
    types = {name: dtype for name, dtype, *_ in described}
    if one_file and not from_csv:  # a CSV's header was checked while tokenising
        unknown = unknown_columns(n for n in types if n != "file_row_number")
        if unknown:
            raise MeteringError([Problem(1, unknown)])

    parts = {
        "record_id": _identifier("record_id", types.get("record_id")),
        "user_uscc": _text("user_uscc", types.get("user_uscc"), upper=True),
        "provider_uscc": _text("provider_uscc", types.get("provider_uscc"), upper=True),
        "amount": _amount(types.get("amount")),
        "unit": _choice("unit", types.get("unit"), sorted(units), "未知的计量单位"),
        "purpose": _choice("purpose", types.get("purpose"), PURPOSES,
                           "“purpose”应为 research 或 business，实为"),
        "via_platform": _boolean("via_platform", types.get("via_platform")),
        "in_province": _boolean("in_province", types.get("in_province")),
        "started_at": _datetime("started_at", types.get("started_at")),
        "ended_at": _datetime("ended_at", types.get("ended_at")),
    }
    # A message only where the value is NULL, and always one there: the two cannot disagree.
    messages = [f"CASE WHEN {parts[c].value} IS NULL THEN coalesce({parts[c].message}, "
                f"'“{c}”无效') END" for c in COLUMNS]
    shape = SHAPE_COLUMN if from_csv else "NULL"
    # Every canonical value is NULL exactly when its column is invalid, so validity is a cheap
    # AND over values the aggregation needs anyway; the messages are only built for bad rows.
    # A job ends when or after it starts: checked over the two canonical values (NULL when either
    # is invalid, which already makes the row bad).
    ok = " AND ".join(["shape IS NULL"] + [f"{c} IS NOT NULL" for c in COLUMNS] + ["ended_at >= started_at"])
    order_problem = ("CASE WHEN ended_at < started_at THEN '“ended_at”早于“started_at”：' "
                     "|| strftime(ended_at, '%Y-%m-%dT%H:%M:%SZ') || ' < ' "
                     "|| strftime(started_at, '%Y-%m-%dT%H:%M:%SZ') END")
    problem = "concat_ws('；', " + ", ".join([shape, *messages]) + ")"

    factors = {u: Decimal(f) for u, f in units.items()}
    if all(f == 1 for f in factors.values()):
        quantity = "amount"
    else:
        cases = " ".join(
            f"WHEN {_lit(u)} THEN CAST(amount * CAST({_lit(str(f))} AS DECIMAL(38,12)) "
            f"AS {DECIMAL_TYPE})" for u, f in factors.items())
        quantity = f"CASE unit {cases} END"

    select = ",\n  ".join(f"{parts[c].value} AS {c}" for c in COLUMNS)
    rid_type = types.get("record_id")
    record_id_raw = ("NULL" if rid_type is None else
                     '"record_id"' if rid_type == "VARCHAR" else 'CAST("record_id" AS VARCHAR)')
    source = MeteringSource(path=path, parquet_path=parquet_path, from_csv=from_csv, scan=scan,
                            record_id_raw=record_id_raw, types=types)
    source.view_sql = f"""
        SELECT {MARK_OUT_TOKEN}line, record_id, user_uscc, provider_uscc, amount, unit,
          {quantity} AS quantity, purpose = 'research' AS research, purpose,
          via_platform, in_province, started_at, ended_at,
          concat_ws('；', NULLIF(problem, ''), {order_problem}) AS problem, {ok} AS ok
        FROM (
          SELECT {MARK_IN_TOKEN}{line} AS line, {shape} AS shape,
            {select},
            {problem} AS problem
          FROM {SCAN_TOKEN}
        )
    """
    source.create_view(con, "metering", scan)
    return source
