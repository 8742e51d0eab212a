"""A rule's explanation on English pages: the engine's framing in English, the pack's own sentence
quoted as Chinese; Chinese pages show the engine's words unchanged."""

from django.utils import translation

from duixian.policy.display import rule_message


def test_chinese_pages_show_the_engines_words():
    with translation.override("zh-hans"):
        assert rule_message("满足：申报单位须具有独立法人资质。") == "满足：申报单位须具有独立法人资质。"
        assert rule_message("不满足：<b>") == "不满足：&lt;b&gt;"


def test_english_pages_frame_in_english_and_quote_the_sentence():
    with translation.override("en"):
        assert rule_message("满足：申报单位须具有独立法人资质。") == (
            'Met: <span lang="zh-Hans">申报单位须具有独立法人资质。</span>')
        said = rule_message("待补充信息（场景状态；已购买或开发解决方案）：场景应已完成建设并投入使用。")
        assert said == ('Information needed (Scenario status; Has bought or developed a solution): '
                        '<span lang="zh-Hans">场景应已完成建设并投入使用。</span>')
        said = rule_message("不满足：项目须在安徽省内发生（项目在安徽省内发生为空，视为未完成）。")
        assert said.startswith('Not met: <span lang="zh-Hans">项目须在安徽省内发生</span> (')
        assert said.endswith("is empty, so it counts as not done).")


def test_unknown_shapes_and_registry_sources_are_quoted_whole():
    with translation.override("en"):
        assert rule_message("园区<须>参加") == '<span lang="zh-Hans">园区&lt;须&gt;参加</span>'
        said = rule_message("满足：a。（依据登记册：已评审通过园区 2024）")
        assert said == ('Met: <span lang="zh-Hans">a。</span> (according to the registry: '
                        '<span lang="zh-Hans">已评审通过园区 2024</span>)')
