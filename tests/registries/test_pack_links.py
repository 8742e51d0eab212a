"""Which registry proves which fact, and for which clause, is the pack's (`registries`): a clause is
served by a registry when its rules read the fact the pack links the registry to."""

import pytest

from duixian.policy.pack import DEFAULT_PACK_PATH, PackError, default_pack, load_pack_text
from duixian.registries.matching import Entry, registry_facts

from .conftest import HEFEI

SHIPPED = DEFAULT_PACK_PATH.read_text(encoding="utf-8")
REDEEMED_LINK = ("  competition_redeemed_2025: {fact: award.redeemed_in_2025, value: true, "
                 "unless: {award.competition_year: 2025}}\n")


def entry(kind, project="", year=2025):
    return Entry(kind=kind, uscc=HEFEI, name="合肥测试科技有限公司", project_name=project, year=year,
                 source="皖科产〔2025〕8号", line=2, version=1)


def test_each_clause_is_served_by_the_registries_whose_fact_its_rules_read():
    pack = default_pack()
    served = {n: sorted(link.kind for link in pack.registry_links(n)) for n in (2, 4, 5)}
    assert served[2] == ["clause1_scene_project", "future_industry_benchmark", "major_violation", "serious_dishonesty"]
    assert served[4] == ["competition_redeemed_2025"]
    assert "approved_park" in served[5] and "top_incubator" in served[5] and "future_industry_benchmark" not in served[5]


def test_a_pack_without_the_link_takes_nothing_from_that_registry():
    assert REDEEMED_LINK in SHIPPED
    pack = load_pack_text(SHIPPED.replace(REDEEMED_LINK, ""), "no-link.yaml")
    facts = {"org": {"uscc": HEFEI}, "project": {"name": "多模态质检大模型项目"},
             "award": {"competition_year": 2024, "redeemed_in_2025": False}}
    rows = [entry("competition_redeemed_2025", "多模态质检大模型", 2024)]
    assert registry_facts(HEFEI, 4, facts, entries=rows)[0]["award"]["redeemed_in_2025"] is True  # shipped pack
    new, sources, flags = registry_facts(HEFEI, 4, facts, entries=rows, pack=pack)
    assert new["award"]["redeemed_in_2025"] is False and sources == [] and flags == []


def test_a_link_serves_a_new_clause_whose_rule_reads_its_fact():
    # the credit registry proves org.credit_good for clause 4 once a clause-4 rule reads it
    text = SHIPPED.replace(
        "  - id: c4.follows_business_plan\n",
        "  - id: c4.credit_good\n    clauses: [4]\n    sentence: \"4.1\"\n    kind: hard\n"
        "    expr: \"org.credit_good == true\"\n    message: 信用良好。\n"
        "  - id: c4.follows_business_plan\n")
    pack = load_pack_text(text, "credit-for-4.yaml")
    facts = {"org": {"uscc": HEFEI, "credit_good": True}, "project": {"name": "x"}}
    new, sources, _ = registry_facts(HEFEI, 4, facts, entries=[entry("serious_dishonesty")], pack=pack)
    assert new["org"]["credit_good"] is False and [s["fact"] for s in sources] == ["org.credit_good"]


def test_unless_turns_a_hit_into_a_note_in_the_packs_words():
    facts = {"org": {"uscc": HEFEI}, "project": {"name": "多模态质检大模型项目"},
             "award": {"competition_year": 2025, "redeemed_in_2025": False}}
    new, sources, flags = registry_facts(HEFEI, 4, facts, entries=[entry("competition_redeemed_2025", "多模态质检大模型")])
    assert sources == [] and new["award"]["redeemed_in_2025"] is False
    assert [f["code"] for f in flags] == ["info"] and "大赛年份为2025" in flags[0]["message"]


def test_pack_check_names_a_bad_link_by_its_place():
    bad = SHIPPED.replace(REDEEMED_LINK, "  competition_redeemed_2025: {fact: award.redeemd_in_2025, value: true}\n"
                                         "  top_incubator: {fact: operator.prior_support, value: top_incubater}\n", 1)
    bad = bad.replace("  top_incubator: {fact: operator.prior_support, value: top_incubator}\n", "")
    with pytest.raises(PackError) as err:
        load_pack_text(bad, "bad.yaml")
    text = str(err.value)
    assert "registries.competition_redeemed_2025.fact" in text and "award.redeemd_in_2025" in text
    assert "registries.top_incubator.value" in text


def test_a_stored_version_of_the_shipped_batch_without_the_section_reads_the_registries_as_before():
    start = SHIPPED.index("registries:\n")
    end = SHIPPED.index("compute_units:\n")
    older = SHIPPED[:start] + SHIPPED[end:]
    older = older.replace("    admits_unregistered: true\n", "")
    pack = load_pack_text(older, "2026.1-stored.yaml")
    assert [link.kind for link in pack.registries] == [link.kind for link in default_pack().registries]
    assert [c.number for c in pack.clauses if c.admits_unregistered] == [4]
    other = load_pack_text(older.replace("id: anhui-agi-2.0-2026", "id: another-notice"), "other.yaml")
    assert other.registries == () and not any(c.admits_unregistered for c in other.clauses)


def test_a_registrys_citation_is_where_the_packs_rules_read_its_fact():
    from duixian.registries.selectors import kind_citation

    assert kind_citation("serious_dishonesty", default_pack()) == "二、（二）1；五、（二）1"
    assert kind_citation("future_industry_benchmark", default_pack()) == "二、（三）；《若干政策（2.0版）》二"
    no_link = load_pack_text(SHIPPED.replace(REDEEMED_LINK, ""), "no-link.yaml")
    assert kind_citation("competition_redeemed_2025", default_pack()) == "四、2"
    assert kind_citation("competition_redeemed_2025", no_link) == ""
