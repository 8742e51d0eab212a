"""Refusing malformed metering files with every bad line, repeats, and typed vs string Parquet."""

from __future__ import annotations

import string
from datetime import datetime, timezone
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duixian.compute.metering import COLUMNS, MeteringError

from .util import (
    A, B, by_uscc, job, org, run, write_csv, write_parquet_strings, write_parquet_typed,
)

# (the row, the fragment its message must contain); row i is on CSV line i + 2.
BAD_ROWS = [
    (job("e1", "", B, "1"), "“user_uscc”为空"),
    (job("e2", A, B, "abc"), "“amount”不是有效的数字"),
    (job("e3", A, B, "1", start="2025-13-01T00:00:00+08:00"), "“started_at”不是有效的日期时间"),
    (job("e4", A, B, "1", end="2025-09-01T00:00:00"), "“ended_at”没有时区偏移"),
    (job("e5", A, B, "1", unit="gpu_hour"), "未知的计量单位“gpu_hour”"),
    (job("e6", A, B, "-1"), "“amount”不能为负数"),
    (job("e7", A, B, "1", purpose="training"), "“purpose”应为 research 或 business"),
    (job("e8", A, B, "1", via="yes"), "“via_platform”应为 true 或 false"),
    (job("e9", A, B, "1", inprov="1"), "“in_province”应为 true 或 false"),
    (job("", A, B, "1"), "“record_id”为空"),
    (job("e11", A, "  ", "1"), "“provider_uscc”为空"),
    (job("e12", A, B, "1e3"), "“amount”不是有效的数字"),
    (job("e13", A, B, "1.0000001"), "小数位数超过6位"),
    (job("e14", A, B, "NaN"), "“amount”不是有效的数字"),
    (job("e15", A, B, "1", start="2025-09-01"), "“started_at”不是有效的日期时间"),
    (job("e16", A, B, "1", start=""), "“started_at”为空"),
]
GOOD = job("ok", A, B, "1")


def test_csv_every_kind_of_bad_row_with_its_line(tmp_path):
    rows = [GOOD] + [r for r, _ in BAD_ROWS] + [GOOD | {"record_id": "ok2"}]
    with pytest.raises(MeteringError) as caught:
        run(write_csv(tmp_path / "m.csv", rows), [org(A), org(B)])
    problems = caught.value.problems
    assert [p.line for p in problems] == list(range(3, 3 + len(BAD_ROWS)))
    for problem, (_, fragment) in zip(problems, BAD_ROWS):
        assert fragment in problem.message, (problem, fragment)
    assert str(problems[0]).startswith("第3行：")


def test_parquet_strings_every_kind_of_bad_row_with_its_line(tmp_path):
    rows = [GOOD] + [r for r, _ in BAD_ROWS]
    with pytest.raises(MeteringError) as caught:
        run(write_parquet_strings(tmp_path / "m.parquet", rows), [org(A), org(B)])
    problems = caught.value.problems
    # Parquet: row index + 2
    assert [p.line for p in problems] == [i + 2 for i in range(1, 1 + len(BAD_ROWS))]
    for problem, (_, fragment) in zip(problems, BAD_ROWS):
        assert fragment in problem.message


def test_parquet_null_is_empty(tmp_path):
    rows = [GOOD, GOOD | {"record_id": "n", "amount": None, "via_platform": None}]
    with pytest.raises(MeteringError) as caught:
        run(write_parquet_strings(tmp_path / "m.parquet", rows))
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "“amount”为空" in problem.message and "“via_platform”为空" in problem.message


def test_typed_parquet_bad_values(tmp_path):
    table = pa.table({
        "record_id": ["a", "b", "c", None],
        "user_uscc": [A, A, None, A],
        "provider_uscc": [B, B, B, B],
        "amount": pa.array([Decimal("1"), Decimal("-2"), Decimal("1"), Decimal("1")],
                           pa.decimal128(10, 3)),
        "unit": ["card_hour"] * 4,
        "purpose": ["research"] * 4,
        "via_platform": pa.array([True, True, None, True]),
        "in_province": pa.array([True, True, True, True]),
        "started_at": pa.array([datetime(2025, 9, 1, tzinfo=timezone.utc)] * 4,
                               pa.timestamp("us", tz="UTC")),
        "ended_at": pa.array([datetime(2025, 9, 1, tzinfo=timezone.utc)] * 4,
                             pa.timestamp("us", tz="UTC")),
    })
    path = tmp_path / "t.parquet"
    pq.write_table(table, path)
    with pytest.raises(MeteringError) as caught:
        run(path)
    lines = {p.line: p.message for p in caught.value.problems}
    assert set(lines) == {3, 4, 5}
    assert "不能为负数" in lines[3]
    assert "“user_uscc”为空" in lines[4] and "“via_platform”为空" in lines[4]
    assert "“record_id”为空" in lines[5]


def test_typed_timestamp_without_zone_is_refused_on_every_row(tmp_path):
    rows = [GOOD, GOOD | {"record_id": "2"}]
    path = write_parquet_typed(tmp_path / "t.parquet", rows)
    table = pq.read_table(path)
    naive = table.set_column(
        table.schema.get_field_index("started_at"), "started_at",
        pa.array([datetime(2025, 9, 1), datetime(2025, 9, 2)], pa.timestamp("us")))
    pq.write_table(naive, path)
    with pytest.raises(MeteringError) as caught:
        run(path)
    assert caught.value.lines() == [2, 3]
    assert all("没有时区偏移" in p.message for p in caught.value.problems)


def test_typed_float_amounts(tmp_path):
    rows = [GOOD, GOOD | {"record_id": "2", "amount": "0.1"}]
    path = write_parquet_typed(tmp_path / "t.parquet", rows)
    table = pq.read_table(path)
    table = table.set_column(table.schema.get_field_index("amount"), "amount",
                             pa.array([1.0, 0.1], pa.float64()))
    pq.write_table(table, path)
    assert by_uscc(run(path, [org(A), org(B)]))[A]["used"] == "1.1"


def test_missing_column_every_line_and_the_header(tmp_path):
    header = [c for c in COLUMNS if c != "in_province"]
    with pytest.raises(MeteringError) as caught:
        run(write_csv(tmp_path / "m.csv", [GOOD, GOOD | {"record_id": "2"}], header=header))
    lines = {p.line: p.message for p in caught.value.problems}
    assert set(lines) == {1, 2, 3}
    assert "in_province" in lines[1] and "缺少列“in_province”" in lines[2]


def test_missing_column_in_parquet(tmp_path):
    columns = [c for c in COLUMNS if c != "purpose"]
    with pytest.raises(MeteringError) as caught:
        run(write_parquet_strings(tmp_path / "m.parquet", [GOOD], columns=columns))
    assert caught.value.lines() == [1, 2]


def test_csv_ragged_rows_and_quoted_newlines(tmp_path):
    path = tmp_path / "m.csv"
    good = ",".join(GOOD[c] for c in COLUMNS)
    text = "\n".join([
        ",".join(COLUMNS),                              # 1
        good.replace("ok,", "a,", 1),                   # 2
        '"multi\nline",' + good.split(",", 1)[1],       # 3–4: one record over two lines
        good.replace("ok,", "b,", 1) + ",extra",        # 5: too many fields
        "",                                             # 6: blank, ignored
        "c," + A,                                       # 7: too few fields
        good.replace("ok,", '"d"x,', 1),                # 8: broken quoting
        good.replace("ok,", "e,", 1).replace("research", "business"),  # 9: fine
    ]) + "\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MeteringError) as caught:
        run(path)
    lines = {p.line: p.message for p in caught.value.problems}
    assert set(lines) == {5, 7, 8}
    assert "多于表头" in lines[5]
    assert "少于表头" in lines[7] and "provider_uscc" in lines[7]
    assert "CSV" in lines[8]


def test_csv_encoding_and_bom(tmp_path):
    path = tmp_path / "m.csv"
    good = ",".join(GOOD[c] for c in COLUMNS)
    path.write_bytes(("\ufeff" + ",".join(COLUMNS) + "\n" + good + "\n").encode("utf-8")
                     + good.replace("ok", "x").encode("utf-8").replace(b"x", b"\xff") + b"\n")
    with pytest.raises(MeteringError) as caught:
        run(path)
    assert caught.value.lines() == [3]
    assert "UTF-8" in caught.value.problems[0].message


def test_crlf_line_endings(tmp_path):
    path = tmp_path / "m.csv"
    good = ",".join(GOOD[c] for c in COLUMNS)
    path.write_bytes((",".join(COLUMNS) + "\r\n" + good + "\r\n").encode())
    assert by_uscc(run(path, [org(A), org(B)]))[A]["used"] == "1"


@pytest.mark.parametrize("content, fragment", [
    (b"", "缺少表头"),
    (b"\n\nrecord_id,amount\n", "第1行必须是表头"),
    (b"record_id,record_id\n", "列名重复"),
])
def test_file_level_problems(tmp_path, content, fragment):
    path = tmp_path / "m.csv"
    path.write_bytes(content)
    with pytest.raises(MeteringError) as caught:
        run(path)
    assert caught.value.lines() == [1]
    assert fragment in caught.value.problems[0].message


def test_not_a_parquet_file(tmp_path):
    path = tmp_path / "m.parquet"
    path.write_bytes(b"PAR1 this is not really parquet")
    with pytest.raises(MeteringError) as caught:
        run(path)
    assert caught.value.lines() == [1]


def test_identical_repeat_counted_once(tmp_path):
    rows = [
        job("r1", A, B, "1.5"),
        job("r2", A, B, "2"),
        # same content written differently: equal decimal, same instant in another offset
        job("r1", A.lower(), B, "1.50", start="2025-09-01T02:00:00Z",
            end="2025-09-01T03:00:00Z", via="TRUE"),
        job("r1", A, B, "1.5"),
    ]
    for path in (write_csv(tmp_path / "m.csv", rows),
                 write_parquet_strings(tmp_path / "m.parquet", rows)):
        outcome = run(path, [org(A), org(B)])
        got = by_uscc(outcome)
        assert got[A]["used"] == "3.5" and got[B]["provided"] == "3.5"
        assert outcome.stats.duplicates == 2 and outcome.stats.rows == 2


def test_identical_repeat_of_an_excluded_job(tmp_path):
    rows = [job("r1", A, B, "4", purpose="business"), job("r1", A, B, "4", purpose="business")]
    got = by_uscc(run(write_csv(tmp_path / "m.csv", rows), [org(A), org(B)]))
    assert got[A]["excluded"]["business"] == "4" and got[B]["provided"] == "4"


def test_conflicting_repeat_names_both_lines(tmp_path):
    rows = [job("r1", A, B, "1"), job("r2", A, B, "2"), job("r3", A, B, "2"),
            job("r1", A, B, "1.1")]
    for path, lines in ((write_csv(tmp_path / "m.csv", rows), (2, 5)),
                        (write_parquet_typed(tmp_path / "m.parquet", rows), (2, 5))):
        with pytest.raises(MeteringError) as caught:
            run(path)
        assert caught.value.lines() == list(lines)
        for p in caught.value.problems:
            assert "r1" in p.message and "第2行" in p.message and "第5行" in p.message


def test_conflicts_and_bad_rows_reported_together(tmp_path):
    rows = [job("r1", A, B, "1"), job("r2", A, B, "x"), job("r1", A, B, "2")]
    with pytest.raises(MeteringError) as caught:
        run(write_csv(tmp_path / "m.csv", rows))
    assert caught.value.lines() == [2, 3, 4]


def test_typed_and_string_parquet_and_csv_agree(tmp_path):
    from .test_semantics import ORGS, ROWS

    results = [
        [r.as_dict() for r in run(path, ORGS).results]
        for path in (write_csv(tmp_path / "m.csv", ROWS),
                     write_parquet_strings(tmp_path / "s.parquet", ROWS),
                     write_parquet_typed(tmp_path / "t.parquet", ROWS))
    ]
    assert results[0] == results[1] == results[2]


def test_bounded_engine_settings(tmp_path):
    from duixian.compute.metering import EngineSettings

    temp = tmp_path / "duck"
    settings_ = EngineSettings(memory_limit="64MB", threads=1, temp_directory=str(temp))
    got = by_uscc(run(write_csv(tmp_path / "m.csv", [GOOD]), [org(A), org(B)], settings=settings_))
    assert got[A]["used"] == "1"
    assert temp.is_dir()


CSV_ALPHABET = string.ascii_letters + string.digits + ",\"\n\r :+-.T\t'\x00é中"
header_line = ",".join(COLUMNS) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(
    st.text(alphabet=CSV_ALPHABET, max_size=300),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    st.lists(st.lists(st.sampled_from(["", "1", "-1", "true", "x", A, "card_hour", "research",
                                       "2025-09-01T00:00:00+08:00", '"', "\n"]),
                      min_size=0, max_size=12), max_size=6)
    .map(lambda rows: "\n".join(",".join(r) for r in rows)),
), with_header=st.booleans(), raw=st.booleans())
def test_parser_never_crashes(tmp_path_factory, body, with_header, raw):
    path = tmp_path_factory.mktemp("h") / "m.csv"
    text = (header_line if with_header else "") + body
    path.write_bytes(text.encode("latin-1", errors="replace") if raw else text.encode("utf-8"))
    try:
        outcome = run(path)
    except MeteringError as exc:
        assert exc.problems
        assert all(p.line >= 1 and p.message for p in exc.problems)
        return
    for r in outcome.results:
        assert Decimal(r.as_dict()["used"]) >= 0


def test_fast_and_exact_csv_tokenising_agree(tmp_path):
    """A plain file takes Arrow's reader; quotes or blank lines take the exact tokeniser."""
    from duixian.compute import metering

    good = ",".join(GOOD[c] for c in COLUMNS)
    bad = good.replace("ok,", "b,", 1).replace(",1,", ",-1,", 1)
    plain = ",".join(COLUMNS) + "\n" + good + "\n" + bad + "\n"
    variants = {
        "plain": plain,
        "quoted": plain.replace("ok,", '"ok",', 1),
        "blank line": ",".join(COLUMNS) + "\n" + good + "\n\n" + bad + "\n",
        "crlf": plain.replace("\n", "\r\n"),
    }
    expected_line = {"plain": 3, "quoted": 3, "blank line": 4, "crlf": 3}
    for name, text in variants.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        assert metering._is_plain(path) is (name in ("plain", "crlf", "blank line")), name
        with pytest.raises(MeteringError) as caught:
            run(path)
        assert caught.value.lines() == [expected_line[name]], name
        assert "负数" in caught.value.problems[0].message


def test_extra_and_unnamed_columns_are_refused(tmp_path):
    """Issue 16: a column outside CONTRACTS §3 is refused on line 1, never dropped silently."""
    header = ["note", *COLUMNS, "", ""]
    rows = [["备注", *[GOOD[c] for c in COLUMNS], "", ""]]
    with pytest.raises(MeteringError) as caught:
        run(write_csv(tmp_path / "m.csv", rows, header=header), [org(A), org(B)])
    assert caught.value.lines() == [1]
    assert "“note”、（无列名）、（无列名）" in caught.value.problems[0].message


@pytest.mark.parametrize("unit, tz", [("ns", "UTC"), ("ms", "Asia/Shanghai"), ("s", "+08:00")])
def test_typed_timestamps_of_any_unit_with_zone(tmp_path, unit, tz):
    rows = [GOOD, GOOD | {"record_id": "2", "started_at": "2025-08-15T16:00:00Z"},
            GOOD | {"record_id": "3", "started_at": "2025-08-15T15:59:59Z"}]
    path = write_parquet_typed(tmp_path / "t.parquet", rows)
    table = pq.read_table(path)
    for col in ("started_at", "ended_at"):
        i = table.schema.get_field_index(col)
        table = table.set_column(i, col, table.column(col).cast(pa.timestamp(unit, tz=tz)))
    pq.write_table(table, path)
    got = by_uscc(run(path, [org(A), org(B)]))
    assert got[A]["used"] == "2" and got[A]["excluded"]["outside_period"] == "1"


def test_typed_integer_amounts(tmp_path):
    path = write_parquet_typed(tmp_path / "t.parquet", [GOOD])
    table = pq.read_table(path)
    table = table.set_column(table.schema.get_field_index("amount"), "amount",
                             pa.array([7], pa.int64()))
    pq.write_table(table, path)
    assert by_uscc(run(path, [org(A), org(B)]))[A]["used"] == "7"
