"""`duixian org check CODE [CODE ...]`: one JSON object per line, exit 0 only when all are valid."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from duixian.codes.uscc import make_uscc

VALID_HEFEI = "91340100MA2RXH7Q95"
VALID_SHOUXIAN = make_uscc("91341521MA2RXH7Q9")


def run(*codes):
    out = StringIO()
    call_command("org", "check", *codes, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_all_valid_prints_one_object_per_line():
    lines = run(VALID_HEFEI, VALID_SHOUXIAN.lower())
    assert [line["uscc"] for line in lines] == [VALID_HEFEI, VALID_SHOUXIAN]
    assert lines[0] == {
        "uscc": VALID_HEFEI, "valid": True, "error": None, "category": "91", "region_code": "340100",
        "city_code": "340100", "city": "合肥市", "in_anhui": True,
    }
    assert lines[1]["city"] == "淮南市"


def test_any_invalid_code_gives_exit_status_one():
    out = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("org", "check", VALID_HEFEI, VALID_HEFEI[:17] + "4", stdout=out)
    assert info.value.returncode == 1
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["valid"] for line in lines] == [True, False]
    assert "校验码" in lines[1]["error"]


def test_output_is_not_ascii_escaped():
    out = StringIO()
    call_command("org", "check", VALID_HEFEI, stdout=out)
    assert "合肥市" in out.getvalue()
    assert "\\u" not in out.getvalue()


def test_console_script_exit_codes():
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    cmd = [sys.executable, "-c", "from duixian.cli import main; main()", "org", "check"]
    ok = subprocess.run(cmd + [VALID_HEFEI], capture_output=True, text=True, env=env, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout.strip())["city_code"] == "340100"
    bad = subprocess.run(cmd + [VALID_HEFEI, "9134010OMA2RXH7Q95"], capture_output=True, text=True,
                         env=env, timeout=120)
    assert bad.returncode == 1
    lines = bad.stdout.strip().splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["valid"] is False
