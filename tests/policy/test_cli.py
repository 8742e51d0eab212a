"""`duixian evaluate` and `duixian pack check|test|trace`, through Django's call_command."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from duixian.policy.pack import DEFAULT_PACK_PATH, default_pack
from duixian.policy.trace import traceability_markdown

from .test_engine import EXAMPLE

ROOT = Path(__file__).resolve().parents[2]


def run(*args, stdin=None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = 0
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as e:
        code = e.code
    return code, out.getvalue(), err.getvalue()


def test_evaluate_from_stdin_gives_contract_json(monkeypatch):
    code, out, err = run("evaluate", "--clause", "2", "--facts", "-", stdin=json.dumps(EXAMPLE), monkeypatch=monkeypatch)
    assert code == 0, err
    data = json.loads(out)
    assert data["status"] == "ineligible" and data["max_amount_wan"] == "24.00"


def test_evaluate_from_file(tmp_path):
    f = tmp_path / "facts.json"
    f.write_text(json.dumps(EXAMPLE, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run("evaluate", "--clause", "2", "--facts", str(f))
    assert code == 0 and json.loads(out)["clause"] == "2"


@pytest.mark.parametrize("clause, facts, field", [
    ("2", '{"scene": {"colour": 1}}', "scene.colour"),
    ("2", '{"scene": {"in_anhui": "yes"}}', "scene.in_anhui"),
    ("1", "{}", "clause"),
    ("3", "{}", "clause"),
    ("2", "{not json", None),
])
def test_evaluate_errors_exit_2_with_json_on_stderr(monkeypatch, clause, facts, field):
    code, out, err = run("evaluate", "--clause", clause, "--facts", "-", stdin=facts, monkeypatch=monkeypatch)
    assert code == 2 and out == ""
    data = json.loads(err)
    assert data["field"] == field and data["error"]


def test_pack_check_ok_and_broken(tmp_path):
    code, out, _ = run("pack", "check", str(DEFAULT_PACK_PATH))
    assert code == 0 and "通过检查" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text(DEFAULT_PACK_PATH.read_text(encoding="utf-8").replace(
        'expr: "scene.in_anhui == true"', 'expr: "scene.in_anhui == 1"').replace(
        "  - id: c2.credit_good", "  - id: c2.owns_ip"), encoding="utf-8")
    code, _, err = run("pack", "check", str(bad))
    assert code == 1
    assert "rules[" in err and "第" in err and "重复" in err and "无法比较" in err


def test_pack_test_runs_every_case():
    code, out, _ = run("pack", "test")
    assert code == 0
    assert f"{len(default_pack().tests)} 个用例：通过 {len(default_pack().tests)} 个，失败 0 个" in out


def test_pack_test_second_pack():
    code, out, _ = run("pack", "test", str(ROOT / "tests/policy/packs/made-up-2027.yaml"))
    assert code == 0 and "失败 0 个" in out


def test_the_full_made_up_notice_with_a_sixth_clause_checks_and_passes_its_cases():
    full = str(ROOT / "tests/policy/packs/made-up-2027-full.yaml")
    code, out, _ = run("pack", "check", full)
    assert code == 0 and "批次 made-up-2027-full" in out and "6 条" in out
    code, out, _ = run("pack", "test", full)
    assert code == 0 and "第六条按30%计算" in out and "失败 0 个" in out


def test_traceability_document_is_generated_and_current(tmp_path):
    target = tmp_path / "trace.md"
    code, _, _ = run("pack", "trace", "--out", str(target))
    assert code == 0
    text = target.read_text(encoding="utf-8")
    for s in default_pack().sentences:
        assert s.text[:20] in text
    assert "`c2.no_own_supply`" in text and "无规则的原因" in text
    committed = (ROOT / "docs/notice-traceability.md").read_text(encoding="utf-8")
    assert committed == traceability_markdown(default_pack()), "regenerate: duixian pack trace --out docs/notice-traceability.md"
