"""The 2026 pack says what the notice says, and a broken pack is refused with every error placed."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from duixian.policy.pack import PackError, default_pack, load_pack, load_pack_text

PACK = default_pack()
SH = dt.timezone(dt.timedelta(hours=8))


def test_batch_and_windows():
    assert PACK.batch_id == "anhui-agi-2.0-2026" and PACK.year == 2026 and PACK.version
    assert str(PACK.tz) == "Asia/Shanghai"
    assert PACK.application_open == dt.datetime(2026, 4, 10, 8, 0, tzinfo=SH)
    # 23:59 关闭 taken literally: closed AT 23:59:00, last accepted 23:58:59.
    assert PACK.application_close == dt.datetime(2026, 5, 5, 23, 59, 0, tzinfo=SH)
    assert PACK.application_window_contains(dt.datetime(2026, 5, 5, 23, 58, 59, tzinfo=SH))
    assert not PACK.application_window_contains(dt.datetime(2026, 5, 5, 23, 59, 0, tzinfo=SH))
    assert not PACK.application_window_contains(dt.datetime(2026, 4, 10, 7, 59, 59, tzinfo=SH))
    assert PACK.city_review_deadline == dt.datetime(2026, 5, 7, 17, 0, tzinfo=SH)
    assert (PACK.project_period_start, PACK.project_period_end) == (dt.date(2025, 8, 16), dt.date(2026, 4, 15))
    assert PACK.project_period_end_exclusive == dt.datetime(2026, 4, 16, tzinfo=PACK.tz)


def test_clauses_kinds_and_short_titles():
    kinds = {c.number: c.kind for c in PACK.clauses}
    assert kinds == {1: "not_in_this_batch", 2: "application", 3: "automatic", 4: "application", 5: "application"}
    assert PACK.clause(2).label == "2.促进垂类模型应用"
    assert PACK.clause(5).number_cn == "五"
    assert "已于 3 月 15 日先行启动" in PACK.clause(1).text
    assert "免申即享" in PACK.clause(3).text
    # the slip is quoted as published and corrected in a note
    assert "产业布局 and 空间布局" in PACK.clause(5).text and "笔误" in PACK.clause(5).note


def test_parameters_confirmed_or_null():
    ratio = PACK.parameter("clause2_ratio")
    assert ratio.value == Decimal("0.20") and ratio.confirmed and ratio.source
    assert PACK.parameter("clause2_cap_wan").value == Decimal("100")
    for name in ("clause3_price_yuan_per_card_hour", "clause3_ratio", "clause4_amount_rank1_wan",
                 "clause4_amount_rank2_wan", "clause4_amount_rank3_wan", "clause5_creation_amount_wan"):
        p = PACK.parameter(name, on=dt.date(2026, 4, 20))
        assert p.value is None and not p.confirmed and p.source
    with pytest.raises(KeyError):
        PACK.parameter("clause2_ratio", on=dt.date(2025, 1, 1))
    assert [u["id"] for u in PACK.compute_units] == ["card_hour"]


def test_contacts_as_published():
    assert PACK.contacts.province.name == "省科技厅人工智能处"
    assert PACK.contacts.province.phones == ("0551-62626995", "0551-62674421")
    assert len(PACK.contacts.cities) == 16
    assert PACK.contacts.city("340100").phone == "0551-63538227"
    assert PACK.contacts.city("341000").city == "黄山市" and PACK.contacts.city("341000").phone == "0559-2357162"
    assert PACK.contacts.city("341600").phone == "0558-5606905"
    assert PACK.helpdesk_phones == ("13023098652", "13155113928")


def test_delivery_and_summary_table():
    d = PACK.delivery
    assert (d.place, d.address, d.phone, d.copies) == ("省政务中心省科技厅窗口", "合肥市马鞍山路509号", "0551-62999803", 2)
    assert d.deadline == PACK.city_review_deadline and "推荐函" in d.items
    st = PACK.summary_table
    assert st.columns == ("序号", "项目名称", "依据政策条款", "拟申请兑现金额（万元）", "项目联系人及联系方式")
    assert st.header_lines == ("归口管理部门（盖章）：", "联系人及联系方式：")


def test_materials_and_checklist_per_clause_and_type():
    creation = {m.id for m in PACK.materials(5, "creation")}
    evaluation = {m.id for m in PACK.materials(5, "evaluation")}
    assert "park_plan" in creation and "park_plan" not in evaluation
    assert "performance_report" in evaluation
    assert "award_certificate" in {m.id for m in PACK.materials(4)}
    assert any("c2.no_own_supply" in item.rules for item in PACK.checklist(2))


def test_every_rule_cites_the_notice_in_its_numbering():
    for rule in PACK.rules:
        assert rule.citation.section in (2, 4, 5, 6), rule.id
        assert rule.message and any("\u4e00" <= ch <= "\u9fff" for ch in rule.message)
    assert PACK.rule("c2.no_own_supply").citation.as_dict() == {"section": 2, "subsection": 2, "item": 2, "text": "二、（二）2"}
    assert PACK.rule("c4.award_2024_not_redeemed").citation.as_dict() == {"section": 4, "subsection": None, "item": 2, "text": "四、2"}


BROKEN = (Path(__file__).parent.parent.parent / "duixian/policy/packs/anhui-2026.yaml").read_text(encoding="utf-8")


def _broken(*edits):
    text = BROKEN
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_broken_pack_lists_every_error_with_its_place():
    text = _broken(
        ('expr: "scene.in_anhui == true"', 'expr: "scene.in_anhuii == true"'),  # unknown fact
        ('expr: "org.owns_ip == true"', 'expr: "org.owns_ip == 3"'),  # type mismatch
        ('application_open: "2026-04-10T08:00:00+08:00"', 'application_open: "2026-04-31T08:00:00+08:00"'),  # bad date
        ('    sentence: "2.2.2"\n    kind: hard', '    sentence: "9.9"\n    kind: hard'),  # missing citation
        ("  - id: c2.credit_good", "  - id: c2.owns_ip"),  # duplicate id
    )
    with pytest.raises(PackError) as err:
        load_pack_text(text, "broken.yaml")
    problems = err.value.problems
    joined = "\n".join(str(p) for p in problems)
    assert len(problems) >= 5, joined
    assert "scene.in_anhuii" in joined or "in_anhuii" in joined
    assert any(p.place.startswith("windows.application_open") for p in problems)
    assert any("无法比较" in p.message for p in problems)
    assert any("9.9" in p.message for p in problems)
    assert any("重复" in p.message and "c2.owns_ip" in p.message for p in problems)
    assert all(p.line for p in problems), joined  # every problem has a line number


def test_unconfirmed_parameter_may_not_be_used_by_a_rule():
    text = _broken(('expr: "award.rank in [1, 2, 3]"', 'expr: "param.clause4_amount_rank1_wan > 0"'))
    with pytest.raises(PackError, match="未确认"):
        load_pack_text(text)


def test_python_is_never_evaluated():
    text = _broken(('expr: "scene.in_anhui == true"', 'expr: "__import__(\'os\').system(\'true\')"'))
    with pytest.raises(PackError):
        load_pack_text(text)


def test_missing_file_and_bad_yaml():
    with pytest.raises(PackError, match="无法读取"):
        load_pack("/nonexistent/pack.yaml")
    with pytest.raises(PackError, match="YAML"):
        load_pack_text("rules: [", "x.yaml")


@pytest.mark.parametrize("text", [
    "format: 1\nmaterials: {2: [5]}",
    "format: 1\nchecklist: {2: [{rules: 5}]}",
    "format: 1\ndelivery: {items: 5}",
    "format: 1\nsummary_table: {columns: 5}",
    "format: 1\nrules: [{id: 1, clauses: 2, expr: [1]}]",
    "format: 1\nparameters: {x: {values: [{since: 5}]}}",
    "- a\n- b",
])
def test_malformed_shapes_are_problems_not_tracebacks(text):
    with pytest.raises(PackError) as err:
        load_pack_text(text)
    assert err.value.problems
