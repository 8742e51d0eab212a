"""Metering as a partitioned Parquet dataset: a local folder, or an S3 prefix read by DuckDB
where it lies, so that web and worker machines need no shared disk (issue 22; docs/deploy.md).

The S3 test runs against moto's S3-compatible server when `moto_server` is installed.
"""

from __future__ import annotations

import http.client
import io
import shutil
import socket
import subprocess
import time

import pyarrow.parquet as pq
import pytest

from duixian.compute.metering import MeteringError

from .test_engine_golden import ORGS, UNITS, _rows
from .util import by_uscc, run, write_parquet_typed


def _partitions(tmp_path, rows):
    """The rows in one typed Parquet table, cut into three month-like partitions: the
    repeats of a record fall into different files."""
    table = pq.read_table(write_parquet_typed(tmp_path / "all.parquet", rows))
    third = table.num_rows // 3
    return {f"month=2025-{9 + i:02d}/part-0.parquet": table.slice(i * third, third if i < 2 else None)
            for i in range(3)}


def _write_dir(root, parts):
    for name, table in parts.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, root / name)
    return root


def test_a_partitioned_folder_gives_the_same_results_as_one_file(tmp_path):
    rows = _rows()
    whole = run(write_parquet_typed(tmp_path / "whole.parquet", rows), ORGS, units=UNITS)
    folder = _write_dir(tmp_path / "metering", _partitions(tmp_path, rows))
    parted = run(folder, ORGS, units=UNITS)
    assert by_uscc(parted) == by_uscc(whole)
    # identical repeats across files are counted once, as in one file
    assert (parted.stats.rows, parted.stats.duplicates) == (whole.stats.rows, whole.stats.duplicates)


def test_a_bad_row_in_a_folder_is_named_by_its_place_in_the_files_end_to_end(tmp_path):
    rows = _rows(n=300)
    ids = [r["record_id"] for r in rows]
    index = next(i for i in range(250, len(rows)) if ids.count(ids[i]) == 1)  # in the third file
    rows[index]["purpose"] = "fun"
    bad = _partitions(tmp_path, rows)
    with pytest.raises(MeteringError) as refused:
        run(_write_dir(tmp_path / "metering", bad), ORGS, units=UNITS)
    assert [p.line for p in refused.value.problems] == [index + 2]


def test_an_empty_folder_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(MeteringError) as refused:
        run(tmp_path / "empty", ORGS, units=UNITS)
    assert "没有Parquet文件" in str(refused.value.problems[0])


@pytest.fixture
def s3_server(monkeypatch):
    pytest.importorskip("fsspec")
    server = shutil.which("moto_server")
    if server is None:
        pytest.skip("moto_server (pip install 'moto[server]') is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([server, "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        monkeypatch.setenv("S3_ENDPOINT_URL", f"http://127.0.0.1:{port}")
        monkeypatch.setenv("S3_REGION", "us-east-1")
        monkeypatch.setenv("S3_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("S3_SECRET_ACCESS_KEY", "testing")

        def put(path: str, body: bytes = b"") -> None:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("PUT", path, body=body)
            assert c.getresponse().status == 200
            c.close()

        yield put
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_an_s3_prefix_is_read_where_it_lies(tmp_path, s3_server):
    rows = _rows()
    whole = run(write_parquet_typed(tmp_path / "whole.parquet", rows), ORGS, units=UNITS)
    s3_server("/metering-bucket")
    for name, table in _partitions(tmp_path, rows).items():
        body = io.BytesIO()
        pq.write_table(table, body)
        s3_server(f"/metering-bucket/city/{name}", body.getvalue())
    parted = run("s3://metering-bucket/city/", ORGS, units=UNITS)
    assert by_uscc(parted) == by_uscc(whole)
    assert parted.stats.duplicates == whole.stats.duplicates


def test_stored_files_may_be_s3_objects(tmp_path, s3_server):
    rows = _rows(n=500)
    whole = run(write_parquet_typed(tmp_path / "whole.parquet", rows), ORGS, units=UNITS)
    s3_server("/metering-bucket")
    # an import's stored files hold no repeats: one file, in the bucket
    body = io.BytesIO()
    pq.write_table(pq.read_table(tmp_path / "whole.parquet"), body)
    s3_server("/metering-bucket/imports/1.parquet", body.getvalue())
    stored = run(["s3://metering-bucket/imports/1.parquet"], ORGS, units=UNITS)
    assert by_uscc(stored) == by_uscc(whole)
