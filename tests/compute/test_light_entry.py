"""`duixian subsidy compute --orgs FILE` runs without Django (issue 22, item 3), and says the same.

The console script hands the command to duixian.compute.command_line before Django is imported;
what it prints and its exit code must be byte for byte those of the Django management command.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .test_command import files  # noqa: F401  (fixture)
from .util import A, B, job, write_csv

# The console script's main() as `duixian ARGS` runs it; afterwards it notes whether any Django
# module was imported (test code only: the product has no such hook).
CONSOLE = """
import os, sys
sys.argv = ["duixian", *sys.argv[1:]]
from duixian.cli import main
try:
    main()
finally:
    with open(os.environ["MODULES_NOTE"], "w") as f:
        f.write(" ".join(sorted(m for m in sys.modules if m == "django" or m.startswith("django."))))
"""
# The Django management command as the console script ran it before (it boots Django).
DJANGO = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duixian.settings")
from django.core.management import execute_from_command_line
execute_from_command_line(["duixian", *sys.argv[1:]])
"""


def run(script: str, args, tmp_path):
    note = tmp_path / "modules.txt"
    env = {**os.environ, "MODULES_NOTE": str(note), "COLUMNS": "100"}
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True,
                          env=env, cwd=tmp_path)
    django_modules = note.read_text().split() if script is CONSOLE else None
    return (done.returncode, done.stdout, done.stderr), django_modules


def both(args, tmp_path):
    light, django_modules = run(CONSOLE, args, tmp_path)
    assert django_modules == [], f"the light path imported {django_modules[:5]}"
    old, _ = run(DJANGO, args, tmp_path)
    assert light == old
    return light


def test_json_is_the_same_bytes_without_django(files, tmp_path):  # noqa: F811
    metering, orgs = files
    code, out, err = both(["subsidy", "compute", "--metering", metering, "--orgs", orgs], tmp_path)
    assert code == 0 and err == b""
    via_call_command = io.StringIO()
    call_command("subsidy", "compute", "--metering", str(metering), "--orgs", str(orgs),
                 stdout=via_call_command)
    assert out.decode("utf-8") == via_call_command.getvalue()
    assert {d["uscc"] for d in json.loads(out)} >= {A, B}


def test_csv_is_the_same_bytes_without_django(files, tmp_path):  # noqa: F811
    metering, orgs = files
    code, out, err = both(["subsidy", "compute", "--metering", metering, "--orgs", orgs,
                           "--format", "csv"], tmp_path)
    assert code == 0 and err == b""
    via_call_command = io.StringIO()
    call_command("subsidy", "compute", "--metering", str(metering), "--orgs", str(orgs),
                 "--format", "csv", stdout=via_call_command)
    assert out.decode("utf-8") == via_call_command.getvalue()


def test_xlsx_file_is_the_same_bytes_without_django(files, tmp_path):  # noqa: F811
    metering, orgs = files
    light_out, old_out = tmp_path / "light.xlsx", tmp_path / "old.xlsx"
    base = ["subsidy", "compute", "--metering", metering, "--orgs", orgs, "--format", "xlsx"]
    light, django_modules = run(CONSOLE, [*base, "--out", light_out], tmp_path)
    old, _ = run(DJANGO, [*base, "--out", old_out], tmp_path)
    assert django_modules == [] and light == old == (0, b"", b"")
    # The zip entries carry the time of writing; what a clerk sees is the same.
    assert cells(light_out) == cells(old_out)


def cells(path):
    from openpyxl import load_workbook

    book = load_workbook(path)
    return [(ws.title, list(ws.iter_rows(values_only=True))) for ws in book.worksheets]


def test_refused_file_same_lines_and_status_1(files, tmp_path):  # noqa: F811
    _, orgs = files
    bad = write_csv(tmp_path / "bad.csv", [job("1", A, B, "1"), job("2", A, B, "-3")])
    code, out, err = both(["subsidy", "compute", "--metering", bad, "--orgs", orgs], tmp_path)
    assert (code, out) == (1, b"")
    text = err.decode("utf-8")
    assert "第3行：" in text and text.endswith("CommandError: 文件未被接受，未计算任何结果\n")
    via_call_command = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("subsidy", "compute", "--metering", str(bad), "--orgs", str(orgs),
                     stdout=io.StringIO(), stderr=via_call_command)
    assert caught.value.returncode == code
    assert text == via_call_command.getvalue() + f"CommandError: {caught.value}\n"


def test_refused_orgs_file_same_lines_and_status_1(files, tmp_path):  # noqa: F811
    metering, _ = files
    orgs = tmp_path / "orgs.csv"
    orgs.write_text("uscc,name,kind,independent_legal_person,agi_enterprise,group_id\n"
                    "123,甲,enterprise,maybe,true,\n", encoding="utf-8")
    code, out, err = both(["subsidy", "compute", "--metering", metering, "--orgs", orgs], tmp_path)
    assert (code, out) == (1, b"") and "第2行" in err.decode("utf-8")


@pytest.mark.parametrize("args, code", [
    (["--help"], 0),
    (["--format", "pdf"], 2),  # argparse: invalid choice
    (["--format", "xlsx"], 2),  # xlsx needs --out
])
def test_help_and_usage_errors_are_the_same(files, tmp_path, args, code):  # noqa: F811
    metering, orgs = files
    got = both(["subsidy", "compute", "--metering", metering, "--orgs", orgs, *args], tmp_path)
    assert got[0] == code
    if code == 2:
        assert got[1] == b"" and got[2]


def test_help_alone_without_django(tmp_path):
    (code, out, err), django_modules = run(CONSOLE, ["subsidy", "compute", "--help"], tmp_path)
    assert (code, err, django_modules) == (0, b"", [])
    assert "--metering FILE" in out.decode("utf-8")
    assert (code, out, err) == run(DJANGO, ["subsidy", "compute", "--help"], tmp_path)[0]


def test_without_orgs_the_database_is_read_through_django(files, tmp_path):  # noqa: F811
    metering, _ = files
    _, django_modules = run(CONSOLE, ["subsidy", "compute", "--metering", metering], tmp_path)
    assert "django.db" in django_modules


def test_pack_parameters_read_alone_match_the_loaded_pack_and_its_checks(tmp_path):
    from duixian.compute.engine import pack_parameters
    from duixian.policy.pack import DEFAULT_PACK_PATH, PackError, default_pack, load_compute_parameters, load_pack

    assert pack_parameters(load_compute_parameters()) == pack_parameters(default_pack())
    text = DEFAULT_PACK_PATH.read_text(encoding="utf-8")
    start = default_pack().project_period_start.isoformat()
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(f"start: {start}", "start: 2025-13-01", 1).replace(
        f"start: '{start}'", "start: '2025-13-01'", 1).replace(
        f'start: "{start}"', 'start: "2025-13-01"', 1), encoding="utf-8")
    with pytest.raises(PackError) as alone:
        load_compute_parameters(bad)
    with pytest.raises(PackError) as whole:
        load_pack(bad)
    assert [str(p) for p in alone.value.problems] == [
        str(p) for p in whole.value.problems if p.place.startswith("windows.project_period")]
    assert alone.value.problems and alone.value.problems[0].line
