"""A rule's explanation on English pages: the engine's framing in English, the pack's own sentence
in English from the catalogue (the pack's messages file) or, when it has none, quoted as Chinese;
Chinese pages show the engine's words unchanged."""

from django.utils import translation

from duixian.policy.display import pack_text, rule_message


def test_chinese_pages_show_the_engines_words():
    with translation.override("zh-hans"):
        assert rule_message("满足：申报单位须具有独立法人资质。") == "满足：申报单位须具有独立法人资质。"
        assert rule_message("不满足：<b>") == "不满足：&lt;b&gt;"


def test_english_pages_frame_and_translate_the_packs_sentence():
    with translation.override("en"):
        assert rule_message("满足：申报单位须具有独立法人资质。") == "Met: The applicant unit must be an independent legal person."
        said = rule_message("待补充信息（场景状态；已购买或开发解决方案）：场景应已完成建设并投入使用。")
        assert said == ("Information needed (Scenario status; Has bought or developed a solution): "
                        "The scenario must be built and in use.")
        # the engine cuts the sentence's 。 before its note
        said = rule_message("不满足：项目须在安徽省内发生（项目在安徽省内发生为空，视为未完成）。")
        assert said == ("Not met: The project must take place in Anhui Province (The project takes place in Anhui "
                        "Province is empty, so it counts as not done).")
        # a pack's own failure message, written whole
        assert rule_message("不满足：申报单位自身具备场景所需的技术、产品供给能力，不属于本条支持对象。").startswith(
            "Not met: the applicant unit can itself supply")


def test_sentences_without_a_translation_are_quoted_as_chinese():
    with translation.override("en"):
        assert rule_message("满足：某个新政策包的句子。") == 'Met: <span lang="zh-Hans">某个新政策包的句子。</span>'
        assert rule_message("园区<须>参加") == '<span lang="zh-Hans">园区&lt;须&gt;参加</span>'
        said = rule_message("满足：a。（依据登记册：已评审通过园区 2024）")
        assert said == ('Met: a。 (according to the registry: <span lang="zh-Hans">已评审通过园区 2024</span>)')
        assert pack_text("项目须在安徽省内发生。") == "The project must take place in Anhui Province."


def test_material_names_checklist_items_and_scoring_sheets_are_pack_words():
    with translation.override("en"):
        assert pack_text("大赛获奖证书") == "Competition award certificate"
        assert pack_text("兑现材料已加盖公章，一式两份") == "Redemption materials bear the official seal, in duplicate"
        assert pack_text("技术水平") == "Technical level"


def test_the_self_check_page_lists_the_materials_in_english(client, db):
    client.cookies["django_language"] = "en"
    try:
        page = client.get("/policy/4/").content.decode()
    finally:
        translation.activate("zh-hans")
    assert "Competition award certificate" in page and "大赛获奖证书" not in page
