"""The pure matcher: exact hits set facts with their source row; near misses only flag."""

from duixian.registries.matching import Entry, normalise_name, registry_facts, similarity

from .conftest import HEFEI, OTHER, PARK_A


def entry(kind, uscc, name, project="", year=2025, line=2, evaluated=None):
    return Entry(kind=kind, uscc=uscc, name=name, project_name=project, year=year, source="皖科产〔2025〕8号",
                 line=line, version=1, evaluated_in_2025=evaluated)


CLAUSE2 = {"org": {"uscc": HEFEI, "kind": "enterprise", "credit_good": True, "major_violation": False},
           "project": {"name": "医院影像辅助诊断大模型应用项目"}, "scene": {"prior_support": []}}


def test_normalisation_strips_punctuation_spaces_and_suffixes():
    assert normalise_name("医院影像 辅助诊断（大模型）应用项目") == "医院影像辅助诊断大模型应用"
    assert normalise_name("合肥测试科技有限公司") == normalise_name("合肥测试科技")
    assert similarity("医院影像辅助诊断大模型应用（二期）", "医院影像辅助诊断大模型应用") == 100


def test_same_uscc_and_similar_project_name_sets_the_fact_with_its_source_row():
    rows = [entry("future_industry_benchmark", HEFEI, "合肥测试科技有限公司", "医院影像辅助诊断大模型应用", line=7)]
    facts, sources, flags = registry_facts(HEFEI, "2", CLAUSE2, entries=rows, threshold=85)
    assert facts["scene"]["prior_support"] == ["future_industry_benchmark"]
    assert CLAUSE2["scene"]["prior_support"] == []  # the input is not modified
    (src,) = sources
    assert src["fact"] == "scene.prior_support" and src["answer"] == [] and src["changed"] is True
    assert src["line"] == 7 and "第7行" in src["text"] and "皖科产〔2025〕8号" in src["text"]
    assert flags == []


def test_renamed_project_of_the_same_organisation_is_flagged_not_decided():
    rows = [entry("clause1_scene_project", HEFEI, "合肥测试科技有限公司", "智慧医院影像平台建设")]
    facts, sources, flags = registry_facts(HEFEI, "2", CLAUSE2, entries=rows, threshold=85)
    assert facts["scene"]["prior_support"] == []
    assert sources == []
    (flag,) = flags
    assert flag["code"] == "same_org_other_project" and "更名" in flag["message"]
    assert "智慧医院影像平台建设" in flag["message"]


def test_similar_project_name_under_another_uscc_is_flagged():
    rows = [entry("future_industry_benchmark", OTHER, "另一家公司", "医院影像辅助诊断大模型应用平台")]
    facts, sources, flags = registry_facts(HEFEI, "2", CLAUSE2, entries=rows, threshold=85)
    assert sources == [] and facts["scene"]["prior_support"] == []
    assert [f["code"] for f in flags] == ["similar_name"]


def test_threshold_decides_between_hit_and_flag():
    rows = [entry("future_industry_benchmark", HEFEI, "合肥测试科技有限公司", "医院影像辅助诊断大模型")]
    score = similarity("医院影像辅助诊断大模型应用项目", "医院影像辅助诊断大模型")
    assert 85 <= score < 100
    assert registry_facts(HEFEI, "2", CLAUSE2, entries=rows, threshold=85)[1]
    assert not registry_facts(HEFEI, "2", CLAUSE2, entries=rows, threshold=score + 1)[1]


def test_credit_registries_match_by_uscc_only():
    rows = [entry("serious_dishonesty", HEFEI, "合肥测试科技有限公司"), entry("major_violation", HEFEI, "合肥测试科技")]
    facts, sources, _ = registry_facts(HEFEI, "2", CLAUSE2, entries=rows)
    assert facts["org"]["credit_good"] is False and facts["org"]["major_violation"] is True
    assert {s["fact"] for s in sources} == {"org.credit_good", "org.major_violation"}
    # clause 四 has no credit condition: a note for the clerk, no fact
    facts4, sources4, flags4 = registry_facts(HEFEI, "4", {"org": {"uscc": HEFEI}, "project": {"name": "x"}}, entries=rows)
    assert sources4 == [] and len(flags4) == 2 and "org" in facts4 and "credit_good" not in facts4["org"]


def test_redeemed_2025_competition_project():
    rows = [entry("competition_redeemed_2025", HEFEI, "合肥测试科技", "多模态质检大模型", year=2024)]
    facts = {"org": {"uscc": HEFEI}, "project": {"name": "多模态质检大模型项目"},
             "award": {"competition_year": 2024, "redeemed_in_2025": False}}
    new, sources, _ = registry_facts(HEFEI, 4, facts, entries=rows)
    assert new["award"]["redeemed_in_2025"] is True and sources[0]["answer"] is False


def test_operator_support_and_parks_for_clause_5_evaluation():
    rows = [entry("pilot_base", PARK_A, "园区运营公司"),
            entry("approved_park", PARK_A, "园区运营公司", "合肥人工智能产业园", year=2024, evaluated=False)]
    facts = {"org": {"uscc": PARK_A}, "project": {"name": "合肥人工智能产业园"},
             "park": {"application_type": "evaluation", "approved_year": 2025}, "operator": {"prior_support": []}}
    new, sources, flags = registry_facts(PARK_A, "5", facts, entries=rows)
    assert new["operator"]["prior_support"] == ["pilot_base"]
    assert new["park"]["approved_year"] == 2024 and new["park"]["evaluated_in_2025"] is False
    assert flags == []


def test_evaluation_of_a_park_missing_from_the_registry_is_flagged():
    rows = [entry("approved_park", OTHER, "别的运营公司", "芜湖某园区", year=2025)]
    facts = {"org": {"uscc": PARK_A}, "project": {"name": "合肥人工智能产业园"},
             "park": {"application_type": "evaluation", "approved_year": 2025}}
    new, sources, flags = registry_facts(PARK_A, "5", facts, entries=rows)
    assert sources == [] and new["park"]["approved_year"] == 2025
    assert [f["code"] for f in flags] == ["not_in_registry"]
