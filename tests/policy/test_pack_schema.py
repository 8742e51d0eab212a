"""`duixian pack check` names every error of the facts and forms sections with its place, in
Chinese, and checks their cross-references (rules and questions naming unknown facts)."""

from pathlib import Path

import pytest

from duixian.policy.cli import run_check
from duixian.policy.pack import PackError, load_pack_text

ROOT = Path(__file__).parent.parent.parent
TEXT = (ROOT / "duixian/policy/packs/anhui-2026.yaml").read_text(encoding="utf-8")


def _problems(*edits) -> list[str]:
    text = TEXT
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    with pytest.raises(PackError) as err:
        load_pack_text(text, "broken.yaml")
    assert all(p.line for p in err.value.problems)  # every problem has its line
    return [str(p) for p in err.value.problems]


def _has(problems: list[str], place: str, words: str) -> bool:
    return any(p.startswith(place) and words in p for p in problems)


def test_a_fact_with_an_unknown_type_is_named_by_its_place():
    problems = _problems(("{name: org.owns_ip, type: bool,", "{name: org.owns_ip, type: boolean,"))
    assert _has(problems, "facts[4].type", "未知的类型：boolean")


def test_facts_errors_each_with_its_place():
    problems = _problems(
        ("{name: org.kind, type: enum, label: 单位类型,\n     choices:", "{name: org.kind, type: enum, label: 单位类型,\n     chioces:"),
        ("{name: project.name, type: str, label: 项目名称}", "{name: project.name, type: str, label: 项目名称, null_means_none: true}"),
        ("derive: {function: year_of,", "derive: {function: year_in,"),
        ("from: [conversion.agreement_region_code], prefix: \"34\"}", "from: [award.date], prefix: \"34\"}"),
    )
    assert _has(problems, "facts[1].chioces", "未知的字段")
    assert _has(problems, "facts[1].choices", "enum 类型须列出取值")
    assert _has(problems, "facts[8].null_means_none", "只有 bool 与 list")
    assert any("未知的派生函数：year_in" in p for p in problems)
    assert any(".derive.from[0]" in p and "应为 str 类型" in p for p in problems)


def test_a_rule_naming_an_unknown_fact_is_refused():
    problems = _problems(('expr: "org.owns_ip == true"', 'expr: "org.owns_ipr == true"'))
    assert any(p.startswith("rules[9].expr（c2.owns_ip）") and "未知的字段：owns_ipr" in p for p in problems)


def test_forms_errors_each_with_its_place():
    problems = _problems(
        ("- {fact: scene.in_anhui, kind: bool, label: 场景是否在安徽省范围内实施", "- {fact: scene.in_anhuii, kind: bool, label: 场景是否在安徽省范围内实施"),
        ("- {fact: award.date, kind: date,", "- {fact: award.date, kind: bool,"),
        ("show_if: {award.competition_year: 2024}", "show_if: {award.year: 2024}"),
        ('    "4":\n      sections: [project, award, conversion]', '    "4":\n      sections: [project, award, conversions]'),
        ('    "5.evaluation":\n', '    "5.evaluate":\n'),
    )
    assert _has(problems, "forms.sections.scene.questions[1].fact", "未知的事实：scene.in_anhuii")
    assert _has(problems, "forms.sections.award.questions[2].kind", "bool 不能用于 date 类型的事实 award.date")
    assert _has(problems, "forms.sections.award.questions[3].show_if.award.year", "未知的事实：award.year")
    assert _has(problems, "forms.applications.4.sections[2]", "没有名为 conversions 的栏目")
    assert _has(problems, "forms.applications.5.evaluate", "应按申报类型分别列出")
    assert _has(problems, "forms.applications", "缺少申报表：5.evaluation")


def test_a_question_may_not_ask_a_derived_fact():
    problems = _problems(("- {fact: award.date, kind: date,", "- {fact: award.date_year, kind: choice,"))
    assert _has(problems, "forms.sections.award.questions[2].fact", "派生事实不能直接提问")


def test_pack_check_prints_the_places(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(TEXT.replace("{name: org.owns_ip, type: bool,", "{name: org.owns_ip, type: boolean,", 1), encoding="utf-8")
    out = run_check(str(broken))
    assert out.code == 1 and "facts[4].type" in out.stderr and "未知的类型：boolean" in out.stderr


def test_the_made_up_notice_passes_the_check():
    out = run_check(str(ROOT / "tests/policy/packs/made-up-2027.yaml"))
    assert out.code == 0, out.stderr


def _without_sections(text: str, *names: str) -> str:
    """The pack text without these top-level sections (their comments stay, harmlessly)."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line[:1].isalpha():
            skipping = line.split(":", 1)[0] in names
        if not skipping:
            out.append(line)
    return "".join(out)


def test_a_pack_stored_before_facts_and_forms_were_in_the_file_still_loads_as_then():
    """format 1 (e.g. a version stored in the database before the upgrade): the facts, forms and
    display are the shipped pack's, which is what the code said then; its verdicts are the same."""
    from duixian.policy.engine import evaluate
    from duixian.policy.pack import default_pack

    old = _without_sections(TEXT, "facts", "forms", "display").replace("format: 2", "format: 1", 1)
    old = old.replace("    application_type_fact: park.application_type\n", "", 1)
    assert "\nfacts:" not in old and "\nforms:" not in old and "application_type_fact" not in old
    legacy, shipped = load_pack_text(old, "stored.yaml"), default_pack()
    assert legacy.facts.all == shipped.facts.all and legacy.form(5, "evaluation") == shipped.form(5, "evaluation")
    assert legacy.clause(5).type_fact == "park.application_type" and legacy.clause_name(2) == "第二条"
    facts = shipped.fixtures["c2_ok"] if "c2_ok" in shipped.fixtures else next(iter(shipped.fixtures.values()))
    for clause in (2, 4, 5):
        assert evaluate(legacy, clause, facts).to_json()["rules"] == evaluate(shipped, clause, facts).to_json()["rules"]


def test_an_unknown_format_is_refused():
    problems = _problems(("format: 2", "format: 3"))
    assert _has(problems, "format", "只支持 format: 2")
