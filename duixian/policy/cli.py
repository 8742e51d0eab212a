"""Command-line logic of `duixian evaluate` and `duixian pack ...`, kept apart from Django's
command classes so it is tested by calling functions (no process, no settings needed)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .engine import evaluate
from .facts import FactsError, PolicyInputError
from .pack import DEFAULT_PACK_PATH, PackError, default_pack, load_pack
from .packtest import rule_coverage, run_cases
from .trace import traceability_markdown


@dataclass
class Outcome:
    """What a command prints and its exit status."""

    code: int
    stdout: str = ""
    stderr: str = ""


def _json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


def _pack(path: str | None):
    return load_pack(path) if path else default_pack()


def run_evaluate(clause: str, facts_text: str, pack_path: str | None = None) -> Outcome:
    """`duixian evaluate`: JSON verdict on stdout; exit 2 with a JSON error naming the field."""
    try:
        facts = json.loads(facts_text, parse_float=Decimal) if facts_text.strip() else {}
    except json.JSONDecodeError as e:
        return Outcome(2, stderr=_json({"error": f"事实不是有效的 JSON：第{e.lineno}行第{e.colno}列 {e.msg}", "field": None}))
    except RecursionError:
        return Outcome(2, stderr=_json({"error": "事实不是有效的 JSON：嵌套层数过多", "field": None}))
    try:
        pack = _pack(pack_path)
    except PackError as e:
        return Outcome(1, stderr=str(e))
    try:
        verdict = evaluate(pack, clause, facts)
    except (FactsError, PolicyInputError) as e:
        return Outcome(2, stderr=_json(e.as_dict()))
    return Outcome(0, stdout=_json(verdict.to_json()))


def run_check(path: str) -> Outcome:
    """`duixian pack check FILE`: every problem with its place; exit 1 when there is any."""
    try:
        pack = load_pack(path)
    except PackError as e:
        lines = [f"{path}: {len(e.problems)} 处错误"] + [f"  {p}" for p in e.problems]
        return Outcome(1, stderr="\n".join(lines))
    n_rules = len(pack.rules)
    return Outcome(
        0,
        stdout=f"{path}: 通过检查（批次 {pack.batch_id}，版本 {pack.version}，{len(pack.clauses)} 条，"
        f"{n_rules} 条规则，{len(pack.tests)} 个测试用例）",
    )


def run_tests(path: str | None = None) -> Outcome:
    """`duixian pack test [FILE]`: run the pack's own cases; exit 1 on any failure."""
    try:
        pack = _pack(path)
    except PackError as e:
        return Outcome(1, stderr=str(e))
    results = run_cases(pack)
    lines = []
    for r in results:
        lines.append(f"{'ok  ' if r.ok else 'FAIL'} #{r.index + 1} {r.name}")
        for p in r.problems:
            lines.append(f"       {p}")
    cov = rule_coverage(pack, results)
    # A flag never fails (a contradiction makes it unknown): it is tested when some case flags it.
    never_failed = sorted(
        rid for rid, outs in cov.items()
        if pack.rule(rid).expr is not None and ("unknown" if pack.rule(rid).flag else "fail") not in outs
    )
    failed = sum(1 for r in results if not r.ok)
    lines.append("")
    lines.append(f"{len(results)} 个用例：通过 {len(results) - failed} 个，失败 {failed} 个。")
    if never_failed:
        lines.append(f"没有用例使其不满足的规则：{', '.join(never_failed)}")
    code = 1 if failed or not results else 0
    return Outcome(code, stdout="\n".join(lines))


def run_trace(path: str | None = None, out: str | None = None) -> Outcome:
    """`duixian pack trace [FILE] [--out FILE]`: the notice traceability document."""
    try:
        pack = _pack(path)
    except PackError as e:
        return Outcome(1, stderr=str(e))
    text = traceability_markdown(pack)
    if out:
        Path(out).write_text(text, encoding="utf-8")
        return Outcome(0, stdout=f"已写入 {out}")
    return Outcome(0, stdout=text)


__all__ = ["Outcome", "run_evaluate", "run_check", "run_tests", "run_trace", "DEFAULT_PACK_PATH"]
