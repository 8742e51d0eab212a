"""`duixian subsidy compute` (CONTRACTS §3): formats, refusal with status 1, organisations."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from duixian.compute.output import CSV_COLUMNS, XLSX_HEADERS

from .util import A, B, U, Z, job, write_csv

ORGS_CSV = (
    "uscc,name,kind,independent_legal_person,agi_enterprise,group_id\n"
    f"{A},合肥甲智能科技有限公司,enterprise,true,true,\n"
    f"{B},合肥乙算力有限公司,enterprise,true,true,\n"
    f"{U},某大学,university,true,,\n"
)


@pytest.fixture
def files(tmp_path):
    metering = write_csv(tmp_path / "m.csv", [
        job("1", A, B, "10"), job("2", B, A, "2.5"), job("3", U, B, "1", purpose="business"),
        job("4", Z, B, "3"),
    ])
    orgs = tmp_path / "orgs.csv"
    orgs.write_text(ORGS_CSV, encoding="utf-8")
    return metering, orgs


def compute(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("subsidy", "compute", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_array(files):
    metering, orgs = files
    out, _ = compute("--metering", str(metering), "--orgs", str(orgs))
    data = json.loads(out)
    assert isinstance(data, list)
    assert [d["uscc"] for d in data] == sorted([A, B, U, Z])
    a = next(d for d in data if d["uscc"] == A)
    assert a == {
        "uscc": A, "name": "合肥甲智能科技有限公司", "used": "10", "provided": "2.5", "net": "7.5",
        "excluded": {"business": "0", "not_via_platform": "0", "self_or_affiliate": "0",
                     "outside_period": "0", "outside_province": "0"},
        "eligible": True, "reasons": [], "subsidy_quantity": "7.5", "needs_review": False,
    }
    assert "合肥甲" in out  # not ASCII-escaped


def test_csv_flattens_excluded_and_joins_reasons(files):
    metering, orgs = files
    out, _ = compute("--metering", str(metering), "--orgs", str(orgs), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == CSV_COLUMNS
    u = next(r for r in rows if r["uscc"] == U)
    assert u["excluded_business"] == "1" and u["eligible"] == "true"
    z = next(r for r in rows if r["uscc"] == Z)
    assert z["eligible"] == "false" and "不在组织名单中" in z["reasons"] and z["name"] == ""


def test_xlsx_with_chinese_headers(files, tmp_path):
    from openpyxl import load_workbook

    metering, orgs = files
    target = tmp_path / "out.xlsx"
    compute("--metering", str(metering), "--orgs", str(orgs), "--format", "xlsx",
            "--out", str(target))
    ws = load_workbook(target).active
    assert tuple(c.value for c in ws[1]) == XLSX_HEADERS
    values = {row[0]: row for row in ws.iter_rows(min_row=2, values_only=True)}
    assert float(values[A][2]) == 10 and values[A][10] == "是" and float(values[A][12]) == 7.5


def test_xlsx_needs_out(files):
    metering, orgs = files
    with pytest.raises(CommandError):
        compute("--metering", str(metering), "--orgs", str(orgs), "--format", "xlsx")


def test_out_file_json(files, tmp_path):
    metering, orgs = files
    target = tmp_path / "r.json"
    out, _ = compute("--metering", str(metering), "--orgs", str(orgs), "--out", str(target))
    assert out == ""
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 4


def test_refused_file_names_lines_on_stderr(files, tmp_path):
    _, orgs = files
    bad = write_csv(tmp_path / "bad.csv", [job("1", A, B, "1"), job("2", A, B, "-3"),
                                            job("3", A, B, "1", via="maybe")])
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("subsidy", "compute", "--metering", str(bad), "--orgs", str(orgs),
                     stdout=out, stderr=err)
    assert caught.value.returncode == 1
    assert out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert any(line.startswith("第3行：") and "负数" in line for line in lines)
    assert any(line.startswith("第4行：") and "via_platform" in line for line in lines)


def test_exit_status_from_the_console_script(files, tmp_path):
    _, orgs = files
    bad = write_csv(tmp_path / "bad.csv", [job("1", A, B, "x")])
    done = subprocess.run(
        [sys.executable, "-m", "duixian.cli", "subsidy", "compute", "--metering", str(bad),
         "--orgs", str(orgs)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "第2行" in done.stderr and done.stdout == ""


def test_bad_orgs_file(files, tmp_path):
    metering, _ = files
    orgs = tmp_path / "orgs.csv"
    orgs.write_text(ORGS_CSV + f"{A},重复,enterprise,yes,true,\n,无码,robot,true,true,\n",
                    encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("subsidy", "compute", "--metering", str(metering), "--orgs", str(orgs),
                     stdout=io.StringIO(), stderr=err)
    assert caught.value.returncode == 1
    text = err.getvalue()
    assert "第5行" in text and "第2行重复" in text and "independent_legal_person" in text
    assert "第6行" in text and "“uscc”为空" in text and "robot" in text


@pytest.mark.django_db
def test_organisations_from_the_database(files):
    from tests.conftest import make_org

    make_org(A, "数据库里的甲公司", "340100")
    metering, _ = files
    data = json.loads(compute("--metering", str(metering))[0])
    got = {d["uscc"]: d for d in data}
    assert got[A]["name"] == "数据库里的甲公司" and got[A]["eligible"]
    assert got[A]["subsidy_quantity"] == "7.5"
    assert not got[B]["eligible"] and got[B]["name"] is None  # not registered in the database


def test_orgs_file_not_utf8_names_the_line(files, tmp_path):
    metering, _ = files
    orgs = tmp_path / "gbk.csv"
    orgs.write_bytes(("uscc,name,kind\n" + f"{A},").encode() + "合肥".encode("gbk") + b",enterprise\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("subsidy", "compute", "--metering", str(metering), "--orgs", str(orgs),
                     stdout=io.StringIO(), stderr=err)
    assert "第2行" in err.getvalue() and "UTF-8" in err.getvalue()


def test_orgs_file_flags_false_and_empty_are_read_not_refused(files, tmp_path):
    # "false" (any case, spaces around) is a stated no; empty is "not stated": both are read, and
    # each makes the organisation ineligible with its own reason instead of refusing the file.
    metering, _ = files
    orgs = tmp_path / "orgs.csv"
    orgs.write_text(
        "uscc,name,kind,independent_legal_person,agi_enterprise,group_id\n"
        f"{A},合肥甲智能科技有限公司,enterprise, FALSE ,true,\n"
        f"{B},合肥乙算力有限公司,enterprise,true,false,\n"
        f"{U},某大学,university,,,\n", encoding="utf-8")
    got = {d["uscc"]: d for d in json.loads(compute("--metering", str(metering), "--orgs", str(orgs))[0])}
    assert not got[A]["eligible"] and any("独立法人" in r for r in got[A]["reasons"]), got[A]["reasons"]
    assert not got[B]["eligible"] and any("通用人工智能企业" in r for r in got[B]["reasons"]), got[B]["reasons"]
    assert not got[U]["eligible"] and any("独立法人" in r for r in got[U]["reasons"]), got[U]["reasons"]
