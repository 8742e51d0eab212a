"""Scoring sheets (评分表) come from the pack (`scoring_sheets`), per clause and application type:
the clause-五 sheets use the notice's own words, and the 绩效评价 has its own sheet (issue 17 item 6,
issue 18: Python holds no clause)."""

from decimal import Decimal

from duixian.policy.pack import default_pack


def test_creation_sheet_quotes_the_notice():
    pack = default_pack()
    sheet = pack.scoring_sheet(5, "creation")
    guides = {c.id: c.guide for c in sheet.criteria}
    assert "区域优势明显且具有一定规模" in guides["scene_capacity"]
    assert "通用人工智能企业数量或产业规模比例高" in guides["scene_capacity"]
    assert "产业布局和空间布局比较合理" in guides["scene_capacity"]
    assert "在大模型等研发方向已有相应成效" in guides["industry_advantage"]
    assert "定期释放相关场景机会" in guides["scene_capability"]
    assert "并在场景创新方面取得一定成效或具有明确规划" in guides["field_foundation"]
    text = " ".join(guides.values())
    assert "可开放" not in text and "龙头企业" not in text
    # every guide is a sentence of the notice (the pack quotes it), not a paraphrase, and names it
    pack_text = pack.clause(5).text.replace(" and ", "和")
    for criterion in sheet.criteria:
        quoted = criterion.guide.split("（五")[0].replace("运营单位在申报领域", "在申报领域")
        assert quoted in pack_text, quoted
        assert pack.sentence(criterion.sentence).ref in criterion.guide.replace("（五（", "五、（").replace("）1", "）1")


def test_evaluation_applications_get_the_evaluation_sheet():
    pack = default_pack()
    evaluation = pack.scoring_sheet(5, "evaluation")
    assert "绩效评价" in evaluation.title and evaluation.max_total == Decimal(100)
    assert evaluation is not pack.scoring_sheet(5, "creation") and evaluation.facts == ()
    assert [f.name for f in pack.scoring_sheet(5, "creation").facts] == [
        "park.scene_capacity", "park.industry_advantage", "park.scene_capability", "operator.field_foundation"]
    assert pack.scoring_sheet(2, "") is not None and pack.scoring_sheet(4) is None
    assert pack.scoring_sheet(5) is None  # clause 五's sheets are per application type
    assert pack.scored_clauses() == ["2", "5"]
    titles = [s.title for s in pack.scoring_sheets()]
    assert len(titles) == 3 and any("绩效评价" in t for t in titles)
    # the platform's default sheets say so: the notice gives no items or points
    assert all(not s.confirmed and "平台默认评分表" in s.source for s in pack.scoring_sheets())
