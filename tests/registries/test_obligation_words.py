"""The parks' evaluation obligation speaks the pack's words (issue 18): the province's list quotes
the notice's sentences at the place the pack cites, and a park is asked for the application the
pack names; no notice wording in the templates."""

from duixian.policy.pack import DEFAULT_PACK_PATH, load_pack_text
from duixian.registries.selectors import obligation_sentences

from .test_obligations import parks  # noqa: F401  (fixture)

A = "2025年度评审通过的通用人工智能产业创新园区参加本年度绩效评价。"


def test_the_sentences_are_the_packs():
    text = DEFAULT_PACK_PATH.read_text(encoding="utf-8")
    assert [t for _place, t in obligation_sentences(load_pack_text(text, "p.yaml"))][0] == A
    edited = load_pack_text(text.replace(f'text: "{A}"', 'text: "改写后的句子。"'), "edited.yaml")
    assert obligation_sentences(edited)[0] == ("五、（一）4", "改写后的句子。")


def test_the_province_list_quotes_the_pack(client, users, parks, login):  # noqa: F811
    login(client, users["province"])
    page = client.get("/registries/parks/obligations/").content.decode()
    assert f"通知五、（一）4：{A}" in page and "但不可享受政策兑现。" in page


def test_the_park_is_asked_for_the_application_the_pack_names(client, parks, login):  # noqa: F811
    login(client, parks["user_a"])
    page = client.get("/registries/my-obligations/").content.decode()
    assert "请在申报系统关闭前新建“2025年度园区绩效评价”申报并提交。" in page and "第五条" not in page
