"""Issue 16 item 6: the metering API validates like the file import, with the same bounds.

Accepted before: UTC offsets +99:99 and +23:59, ended_at before started_at, year 9999, a
100,000-character record_id, unknown columns silently dropped, a 210 MB body. Each is refused
with its line (CSV: the line, header = 1; Parquet: row index + 2), by the CLI's validator, the
import and the push API alike; and the machine tokens can be listed and revoked (audited).
"""

from __future__ import annotations

import io
import json
from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from duixian.api.models import MachineToken
from duixian.audit.models import AuditEvent
from duixian.compute.metering import COLUMNS, MeteringError
from duixian.compute.models import MeteringImport
from duixian.compute.services import metering_import

from .util import A, B, job, org, run, write_csv, write_parquet_strings

# (the row, the fragment its message must contain); row i is on CSV line i + 2.
HOSTILE_ROWS = [
    (job("o1", A, B, "1", start="2025-09-01T10:00:00+99:99"), "“started_at”的时区偏移超出范围"),
    (job("o2", A, B, "1", end="2025-09-01T11:00:00+23:59"), "“ended_at”的时区偏移超出范围"),
    (job("o3", A, B, "1", start="2025-09-01T10:00:00-1401"), "“started_at”的时区偏移超出范围"),
    (job("o4", A, B, "1", start="2025-09-01T12:00:00+08:00", end="2025-09-01T11:00:00+08:00"),
     "“ended_at”早于“started_at”"),
    (job("o5", A, B, "1", start="9999-09-01T10:00:00+08:00", end="9999-09-01T11:00:00+08:00"),
     "“started_at”的年份超出范围"),
    (job("o6", A, B, "1", start="1999-12-31T10:00:00+08:00"), "“started_at”的年份超出范围"),
    (job("x" * 100_000, A, B, "1"), "“record_id”超过128个字符"),
]
GOOD = job("ok", A, B, "1")
# The edges that stay accepted.
EDGES = [
    job("e1", A, B, "1", start="2025-09-01T16:00:00+14:00", end="2025-09-01T16:00:00+14:00"),  # end = start
    job("e2", A, B, "1", start="2025-09-01T00:00:00-14:00", end="2025-09-01T00:01:00-1400"),
    job("e3", A, B, "1", start="2025-09-01T10:00:00+05:45", end="2025-09-01T11:00:00+0545"),
    job("x" * 128, A, B, "1"),
]


def _assert_refused_each(caught, first_line: int):
    problems = caught.value.problems
    assert [p.line for p in problems] == list(range(first_line, first_line + len(HOSTILE_ROWS)))
    for problem, (_, fragment) in zip(problems, HOSTILE_ROWS):
        assert fragment in problem.message, (problem, fragment)


def test_csv_hostile_rows_refused_with_their_lines(tmp_path):
    rows = [GOOD] + [r for r, _ in HOSTILE_ROWS]
    with pytest.raises(MeteringError) as caught:
        run(write_csv(tmp_path / "m.csv", rows), [org(A), org(B)])
    _assert_refused_each(caught, 3)


def test_parquet_hostile_rows_refused_with_their_lines(tmp_path):
    rows = [GOOD] + [r for r, _ in HOSTILE_ROWS]
    with pytest.raises(MeteringError) as caught:
        run(write_parquet_strings(tmp_path / "m.parquet", rows), [org(A), org(B)])
    _assert_refused_each(caught, 3)  # row index + 2


def test_typed_parquet_year_and_order(tmp_path):
    def ts(text):
        return datetime.fromisoformat(text)

    rows = [("t1", "2025-09-01T10:00:00+00:00", "2025-09-01T11:00:00+00:00"),
            ("t2", "9999-01-01T10:00:00+00:00", "9999-01-01T11:00:00+00:00"),
            ("t3", "2025-09-01T10:00:00+00:00", "2025-09-01T09:00:00+00:00")]
    table = pa.table({
        **{c: pa.array([job(r[0], A, B, "1")[c] for r in rows], pa.string())
           for c in COLUMNS if c not in ("started_at", "ended_at")},
        "started_at": pa.array([ts(r[1]) for r in rows], pa.timestamp("us", tz="UTC")),
        "ended_at": pa.array([ts(r[2]) for r in rows], pa.timestamp("us", tz="UTC")),
    })
    path = tmp_path / "t.parquet"
    pq.write_table(table, path)
    with pytest.raises(MeteringError) as caught:
        run(path, [org(A), org(B)])
    assert caught.value.lines() == [3, 4]
    messages = [p.message for p in caught.value.problems]
    assert "“started_at”的年份超出范围" in messages[0] and "“ended_at”早于“started_at”" in messages[1]


def test_the_edges_stay_accepted(tmp_path):
    outcome = run(write_csv(tmp_path / "m.csv", EDGES), [org(A), org(B)])
    assert outcome.stats.rows == len(EDGES)


@pytest.mark.parametrize("header", [[*COLUMNS, "note"], ["备注", *COLUMNS], [*COLUMNS, ""]])
def test_unknown_columns_are_refused_not_dropped(tmp_path, header):
    rows = [[*(GOOD[c] for c in COLUMNS), "x"] if header[-1] != COLUMNS[-1] else ["x", *(GOOD[c] for c in COLUMNS)]]
    with pytest.raises(MeteringError) as caught:
        run(write_csv(tmp_path / "m.csv", rows, header=header), [org(A), org(B)])
    assert caught.value.lines() == [1]
    assert "表头中有未知的列" in caught.value.problems[0].message


def test_unknown_parquet_column_is_refused(tmp_path):
    path = write_parquet_strings(tmp_path / "m.parquet", [GOOD | {"price": "9"}], columns=(*COLUMNS, "price"))
    with pytest.raises(MeteringError) as caught:
        run(path, [org(A), org(B)])
    assert caught.value.lines() == [1] and "“price”" in caught.value.problems[0].message


# ---- the push API (the real URL, the real middleware) ------------------------------------

@pytest.fixture
def token(db):
    return MachineToken.issue("省级智能算力统筹调度平台", "metering:write")[1]


def _push(client: Client, token: str, content: bytes, name="m.csv", **extra):
    return client.post("/api/v1/metering", {"file": SimpleUploadedFile(name, content)},
                       HTTP_AUTHORIZATION=f"Bearer {token}", **extra)


@pytest.mark.django_db
def test_api_refuses_the_hostile_rows_with_lines(client, token, tmp_path):
    content = write_csv(tmp_path / "m.csv", [GOOD] + [r for r, _ in HOSTILE_ROWS]).read_bytes()
    response = _push(client, token, content)
    assert response.status_code == 422
    body = response.json()
    assert body["lines"] == list(range(3, 3 + len(HOSTILE_ROWS)))
    assert "时区偏移超出范围" in body["problems"][0]["message"]
    assert MeteringImport.objects.count() == 0
    header = write_csv(tmp_path / "h.csv", [[*(GOOD[c] for c in COLUMNS), "x"]], header=[*COLUMNS, "note"]).read_bytes()
    refused = _push(client, token, header).json()
    assert refused["lines"] == [1] and "未知的列" in refused["problems"][0]["message"]


@pytest.mark.django_db
def test_api_body_cap_refuses_before_reading(client, token, settings, tmp_path):
    """A body above METERING_API_MAX_MB is refused from its Content-Length (413), read or not."""
    settings.METERING_API_MAX_MB = 1
    small = write_csv(tmp_path / "m.csv", [GOOD]).read_bytes()
    big = small + b"#" * (1024 * 1024)
    response = _push(client, token, big)
    assert response.status_code == 413
    body = response.json()
    assert "1 MB" in body["error"] and body["lines"] == [] and body["problems"] == []
    # The declared length alone decides: a client claiming 210 MB is refused without a read.
    fake = client.generic("POST", "/api/v1/metering", b"x", content_type="multipart/form-data; boundary=x",
                          HTTP_AUTHORIZATION=f"Bearer {token}", CONTENT_LENGTH=str(210 * 1024 * 1024))
    assert fake.status_code == 413
    assert _push(client, token, small).status_code == 200
    assert MeteringImport.objects.count() == 1


@pytest.mark.django_db
def test_import_command_uses_the_same_validator(tmp_path):
    path = write_csv(tmp_path / "m.csv", [GOOD, HOSTILE_ROWS[0][0]])
    with pytest.raises(MeteringError) as caught:
        metering_import(path)
    assert caught.value.lines() == [3]


# ---- tokens ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_token_list_and_revoke(client, tmp_path):
    first, raw = MachineToken.issue("省级智能算力统筹调度平台", "metering:write")
    MachineToken.issue("测试客户端", "metering:write")
    out = io.StringIO()
    call_command("token", "list", stdout=out)
    text = out.getvalue()
    assert "省级智能算力统筹调度平台" in text and "测试客户端" in text and "有效" in text
    assert raw not in text and first.digest not in text  # neither the token nor its digest

    content = write_csv(tmp_path / "m.csv", [GOOD]).read_bytes()
    assert _push(client, raw, content).status_code == 200
    call_command("token", "revoke", "省级智能算力统筹调度平台", stdout=io.StringIO())
    assert _push(client, raw, content).status_code == 401
    event = AuditEvent.objects.get(action="api_token.revoke")
    assert event.object_id == str(first.pk) and event.detail["name"] == "省级智能算力统筹调度平台"

    out = io.StringIO()
    call_command("token", "list", "--json", stdout=out)
    listed = {t["name"]: t for t in (json.loads(line) for line in out.getvalue().splitlines())}
    assert listed["省级智能算力统筹调度平台"]["revoked_at"] and not listed["测试客户端"]["revoked_at"]
    with pytest.raises(CommandError, match="没有有效的接口令牌"):
        call_command("token", "revoke", "省级智能算力统筹调度平台")
    second = MachineToken.objects.get(name="测试客户端")
    call_command("token", "revoke", str(second.pk), stdout=io.StringIO())
    assert MachineToken.objects.filter(revoked_at__isnull=True).count() == 0


def test_record_id_bound_counts_characters_not_bytes(tmp_path):
    # 128 Chinese characters are 384 bytes in UTF-8: accepted; one more is refused
    ok = run(write_csv(tmp_path / "ok.csv", [job("编" * 128, A, B, "1"), job(" x", A, B, "1")]),
             [org(A), org(B)])
    assert ok.stats.rows == 2
    with pytest.raises(MeteringError) as caught:
        run(write_parquet_strings(tmp_path / "long.parquet", [GOOD, job("编" * 129, A, B, "1")]),
            [org(A), org(B)])
    assert caught.value.lines() == [3]
    assert "“record_id”超过128个字符（共129个）" in caught.value.problems[0].message
