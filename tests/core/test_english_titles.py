"""A page's <title> cannot mark quoted Chinese (WCAG 3.1.2 asks for lang on the element that holds
it), so English titles leave the Chinese part out or name the object another way; Chinese titles
are unchanged. The pack's words joined on a page are each translated or quoted."""

from django.template import Context, Template
from django.utils import translation

from duixian.policy.pack import default_pack


def render(text: str, language: str, **values) -> str:
    with translation.override(language):
        return Template("{% load i18n quoted verdicts %}" + text).render(Context(values))


def test_a_title_names_a_draft_or_its_reference_in_english_and_the_project_in_chinese():
    title = '{% translate "确认信息" %} · {{ name|titled:ref|default:_("草稿") }}'
    assert render(title, "zh-hans", name="港口调度大模型应用", ref=None) == "确认信息 · 港口调度大模型应用"
    assert render(title, "en", name="港口调度大模型应用", ref="DX2026-340100-000006") == \
        "Check your answers · DX2026-340100-000006"
    assert render(title, "en", name="港口调度大模型应用", ref=None) == "Check your answers · Draft"
    assert render(title, "en", name="Port dispatch model", ref=None) == "Check your answers · Port dispatch model"


def test_a_title_leaves_out_a_chinese_part_in_english():
    title = '{% translate "申报通知" %}{% with t=name|titled %}{% if t %} · {{ t }}{% endif %}{% endwith %}'
    assert render(title, "zh-hans", name="2026 年度兑现申报") == "申报通知 · 2026 年度兑现申报"
    assert render(title, "en", name="2026 年度兑现申报") == "Application notice"


def test_clause_numbers_and_delivery_items_in_the_pages_language():
    pack = default_pack()
    clause = next(c for c in pack.clauses if c.number == 2)
    assert render("{{ c|clause_number }}", "zh-hans", c=clause) == "二"
    assert render("{{ c|clause_number }}", "en", c=clause) == "2"
    items = ["推荐函", "项目申报汇总表（附件2）", "未译的材料"]
    assert render("{{ items|pack_words }}", "zh-hans", items=items) == "推荐函、项目申报汇总表（附件2）、未译的材料"
    assert render("{{ items|pack_words }}", "en", items=items) == (
        'Recommendation letter, Project application summary table (Annex 2), <span lang="zh-Hans">未译的材料</span>')
