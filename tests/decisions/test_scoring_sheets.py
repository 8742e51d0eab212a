"""The clause-五 scoring sheets use the notice's own words, and the 绩效评价 has its own sheet
(issue 17 item 6)."""

from duixian.decisions.scoring import all_sheets, sheet_for
from duixian.policy.pack import default_pack


def test_creation_sheet_quotes_the_notice():
    sheet = sheet_for("5", "creation")
    guides = {c.id: c.guide for c in sheet.criteria}
    assert "区域优势明显且具有一定规模" in guides["scene_capacity"]
    assert "通用人工智能企业数量或产业规模比例高" in guides["scene_capacity"]
    assert "产业布局和空间布局比较合理" in guides["scene_capacity"]
    assert "在大模型等研发方向已有相应成效" in guides["industry_advantage"]
    assert "定期释放相关场景机会" in guides["scene_capability"]
    assert "并在场景创新方面取得一定成效或具有明确规划" in guides["field_foundation"]
    text = " ".join(guides.values())
    assert "可开放" not in text and "龙头企业" not in text
    # every guide is a sentence of the notice (the pack quotes it), not a paraphrase
    pack_text = default_pack().clause(5).text.replace(" and ", "和")
    for guide in guides.values():
        quoted = guide.split("（五")[0].replace("运营单位在申报领域", "在申报领域")
        assert quoted in pack_text, quoted


def test_evaluation_applications_get_the_evaluation_sheet():
    evaluation = sheet_for("5", "evaluation")
    assert "绩效评价" in evaluation.title and evaluation.max_total == 100
    assert evaluation is not sheet_for("5", "creation") and evaluation.facts == ()
    assert sheet_for("5") is sheet_for("5", "creation")
    assert sheet_for("2", "") is not None and sheet_for("4") is None
    titles = [s.title for s in all_sheets()]
    assert len(titles) == 3 and any("绩效评价" in t for t in titles)
