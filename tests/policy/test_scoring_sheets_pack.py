"""Scoring sheets are part of the pack (`scoring_sheets`): `duixian pack check` names every error of
the section with its place and line, and a version stored before the section existed still scores
as it did (issue 18: Python holds no clause)."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from duixian.policy.pack import default_pack, load_pack_text

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = (ROOT / "duixian/policy/packs/anhui-2026.yaml").read_text(encoding="utf-8")
FULL = (ROOT / "tests/policy/packs/made-up-2027-full.yaml").read_text(encoding="utf-8")
SECOND = (ROOT / "tests/policy/packs/made-up-2027.yaml").read_text(encoding="utf-8")


def _line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def _check(tmp_path, text: str) -> tuple[int, str]:
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("pack", "check", str(path), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, err.getvalue() + out.getvalue()


def _without_sections(text: str, *names: str) -> str:
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line[:1].isalpha():
            skipping = line.split(":", 1)[0] in names
        if not skipping:
            out.append(line)
    return "".join(out)


def test_the_made_up_notice_carries_a_sheet_for_its_new_clause():
    pack = load_pack_text(FULL, "made-up-2027-full.yaml")
    sheet = pack.scoring_sheet(6)
    assert sheet.title == "虚构第六条 人才培训 评审评分表" and sheet.confirmed and sheet.source == "虚构通知附件3"
    assert [(c.name, int(c.max_points)) for c in sheet.criteria] == [("培训规模", 40), ("培训质量", 40), ("费用合理性", 20)]
    assert pack.scored_clauses() == ["6"] and pack.scoring_sheet(2) is None


def test_a_malformed_sheet_is_refused_by_pack_check_with_place_and_line(tmp_path):
    broken = (FULL
              .replace("{id: scale, name: 培训规模, points: 40,", "{id: Scale, name: 培训规模, points: -5,")
              .replace("{id: quality, name: 培训质量, points: 40, guide: 课程体系、师资与结业考核}",
                       "{id: quality, name: 培训质量, points: 40, guide: 课程体系、师资与结业考核, sentence: \"9.9\"}")
              .replace("{id: cost, name: 费用合理性, points: 20,", "{id: quality, name: 费用合理性,")
              .replace('  "6":\n    title: 虚构第六条', '  "7":\n    title: 虚构第七条', 1))
    assert broken.count("虚构第七条") == 1
    code, text = _check(tmp_path, broken)
    assert code == 1, text
    # the unknown clause key is named with its line, and so is every error inside the sheet
    line = _line_of(broken, "title: 虚构第七条")  # a mapping's line is its first entry's
    assert f"scoring_sheets.7（第{line}行）" in text and "受理申报的条款编号" in text

    broken = broken.replace('  "7":\n    title: 虚构第七条', '  "6":\n    title: 虚构第六条', 1)
    code, text = _check(tmp_path, broken)
    assert code == 1, text
    line = _line_of(broken, "id: Scale")
    assert f"scoring_sheets.6.items[0].id（第{line}行）：评分项编号只能由小写字母" in text
    assert f"scoring_sheets.6.items[0].points（第{line}行）：满分应为正数" in text
    line = _line_of(broken, 'sentence: "9.9"')
    assert f"scoring_sheets.6.items[1].sentence（第{line}行）：没有编号为 9.9 的句子" in text
    line = _line_of(broken, "name: 费用合理性")
    assert f"scoring_sheets.6.items[2].id（第{line}行）：评分项编号重复：quality" in text
    assert f"scoring_sheets.6.items[2].points（第{line}行）：缺少必填项" in text


def test_a_judgement_must_settle_a_review_rule_of_the_clause_with_a_yes_or_no_fact(tmp_path):
    broken = SHIPPED.replace(
        "{fact: scene.demonstration_effect, question: 场景应用示范效果明显，具有应用推广价值, rule: c2.demonstration_effect}",
        "{fact: scene.development_investment_wan, question: 投入是否真实, rule: c2.owns_ip}")
    code, text = _check(tmp_path, broken)
    line = _line_of(broken, "fact: scene.development_investment_wan, question")
    assert code == 1
    assert f"scoring_sheets.2.judgements[0].fact（第{line}行）：scene.development_investment_wan 应为 facts 中的 bool 事实" in text
    assert f"scoring_sheets.2.judgements[0].rule（第{line}行）：规则 c2.owns_ip 应为第2条读取" in text


@pytest.mark.parametrize("fmt", [1, 2])
def test_a_version_of_the_shipped_batch_stored_before_the_section_scores_as_it_did(fmt):
    """A stored 2026 version without `scoring_sheets` (format 1, or format 2 before the section)
    takes the shipped file's sheets: its panels score with the same items and judgements."""
    old = _without_sections(SHIPPED, "scoring_sheets")
    if fmt == 1:
        old = _without_sections(old, "facts", "forms", "display").replace("format: 2", "format: 1", 1)
        old = old.replace("    application_type_fact: park.application_type\n", "", 1)
    assert "\nscoring_sheets:" not in old
    legacy, shipped = load_pack_text(old, "stored.yaml"), default_pack()
    assert legacy.scoring_sheets() == shipped.scoring_sheets() and legacy.scored_clauses() == ["2", "5"]
    assert legacy.scoring_sheet(5, "evaluation") == shipped.scoring_sheet(5, "evaluation")


def test_another_batch_without_the_section_has_no_expert_review_and_an_empty_section_says_none():
    assert "scoring_sheets" not in SECOND
    assert load_pack_text(SECOND, "made-up-2027.yaml").scoring_sheets() == []
    explicit = _without_sections(SHIPPED, "scoring_sheets") + "scoring_sheets: {}\n"
    assert load_pack_text(explicit, "none.yaml").scored_clauses() == []


def test_a_new_version_that_changes_a_sheet_lists_the_change_before_it_is_confirmed():
    from duixian.policy.diff import pack_diff

    text = (SHIPPED.replace('version: "2026.1"', 'version: "2026.9"', 1)
            .replace("{id: technology, name: 技术水平, points: 25,", "{id: technology, name: 技术水平, points: 20,", 1)
            .replace("{id: investment, name: 投入规模与可持续性, points: 15,", "{id: investment, name: 投入规模与可持续性, points: 20,", 1))
    changes = {(c["section"], c["key"]): c for c in pack_diff(default_pack(), load_pack_text(text))}
    change = changes[("scoring_sheets", "2")]
    assert change["section_label"] == "评分表" and change["label"] == "评分表 2"
    assert "技术水平 25 分" in change["old"] and "技术水平 20 分" in change["new"]
    assert "投入规模与可持续性 20 分" in change["new"] and ("scoring_sheets", "5.creation") not in changes


def test_a_key_written_with_a_leading_zero_is_that_clause_and_a_repeat_is_refused(tmp_path):
    assert load_pack_text(FULL.replace('  "6":\n    title: 虚构第六条', '  "06":\n    title: 虚构第六条', 1)).scoring_sheet(6)
    sheet = FULL[FULL.index('  "6":\n    title: 虚构第六条'):FULL.index("\ndisplay:")]
    twice = FULL.replace(sheet, sheet + sheet.replace('"6":', '"06":', 1), 1)
    code, text = _check(tmp_path, twice)
    assert code == 1 and "scoring_sheets.06" in text and "评分表 6 重复" in text
