"""A new pack version's preview names changes to the facts vocabulary and the application forms,
and names clauses as the pack does (第二条), so the province sees them before confirming."""

from pathlib import Path

from duixian.policy.diff import pack_diff
from duixian.policy.pack import default_pack, load_pack_text

TEXT = (Path(__file__).parent.parent.parent / "duixian/policy/packs/anhui-2026.yaml").read_text(encoding="utf-8")


def test_facts_forms_and_amounts_changes_are_listed():
    text = (TEXT.replace('version: "2026.1"', 'version: "2026.9"', 1)
            .replace("{name: org.owns_ip, type: bool, label: 拥有明晰的自主知识产权}",
                     "{name: org.owns_ip, type: bool, label: 拥有自主知识产权}", 1)
            .replace("label: 场景建设状态,", "label: 场景目前的建设状态,", 1)
            .replace('expr: "$min([param.clause2_ratio * scene.development_investment_wan, param.clause2_cap_wan])"',
                     'expr: "param.clause2_cap_wan"', 1))
    changes = pack_diff(default_pack(), load_pack_text(text))
    by = {(c["section"], c["key"]): c for c in changes}
    assert by[("facts", "org.owns_ip")]["new"].startswith("拥有自主知识产权（bool）")
    assert by[("facts", "org.owns_ip")]["section_label"] == "事实"
    assert "场景目前的建设状态" in by[("forms", "2")]["new"] and by[("forms", "2")]["label"] == "申报表 2"
    assert by[("amounts", "2")]["label"] == "第二条可兑现金额"
