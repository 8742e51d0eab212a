"""The application form and the application types come from the pack: a new notice's new fact is
asked by its new question, with no code (issue 18 item 1)."""

from pathlib import Path

from duixian.applications import policy_bridge
from duixian.applications.questions import amount_withheld, sections_for
from duixian.policy.pack import default_pack, load_pack

SECOND = load_pack(Path(__file__).parent.parent / "policy" / "packs" / "made-up-2027.yaml")


def test_the_made_up_notice_asks_its_new_fact():
    sections = sections_for("2", "", SECOND)
    assert [s.key for s in sections] == ["project", "scene"]
    users = next(x for x in sections[1].questions if x.name == "scene.users_count")
    assert users.kind == "integer" and users.display_label == "场景累计服务用户数（人）"
    status = next(x for x in sections[1].questions if x.name == "scene.status")
    # no label in the form: the fact's label and choices, from the pack's vocabulary
    assert status.display_label == "场景状态" and [str(w) for _, w in status.choices][-1] == "已完成建设并投入使用"


def test_clause_choices_are_named_as_each_pack_says():
    labels = [c.label for c in policy_bridge.clause_choices(default_pack())]
    assert "第二条 促进垂类模型应用" in labels
    assert "第五条 支持产业集聚发展（2026年度园区创建申报）" in labels
    assert "第五条 支持产业集聚发展（2025年度园区绩效评价）" in labels
    assert [c.label for c in policy_bridge.clause_choices(SECOND)] == ["虚构第二条 促进垂类模型应用", "虚构第四条 举办创新应用活动"]


def test_a_park_that_must_be_evaluated_without_redemption_is_asked_no_amount():
    pack = default_pack()
    skipped = {"park.application_type": "evaluation", "park.approved_year": 2024, "park.evaluated_in_2025": False}
    assert "不可享受政策兑现" in str(amount_withheld("5", "evaluation", skipped, pack))
    assert amount_withheld("5", "evaluation", {**skipped, "park.evaluated_in_2025": True}, pack) == ""
    assert amount_withheld("2", "", {}, SECOND) == ""
