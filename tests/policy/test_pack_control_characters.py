"""A pack's words reach Word documents and spreadsheets (the batch title in the 推荐函 and 汇总表,
a clause's name on the compute statement, the delivery sentence, the obligation's words). A
control character written into a pack (YAML's "\\x01" escape) cannot be held by a .docx and made
the compute statement of that batch fail for every organisation; pack check now refuses it
with its place and line, before any version is stored."""

from pathlib import Path

import pytest

from duixian.policy.pack import PackError, load_pack_text
from duixian.policy.models import PackVersion
from duixian.policy.services import PackVersionError, pack_version_load

FULL = Path(__file__).resolve().parent / "packs" / "made-up-2027-full.yaml"
TITLE = "title: （虚构）2027 年度人才培训政策兑现申报"


def _hostile() -> str:
    text = FULL.read_text(encoding="utf-8")
    assert text.count(TITLE) == 1
    return text.replace(TITLE, 'title: "（虚构）2027\\x0b年度人才培训政策兑现申报"').replace(
        "short_title: 降低算力使用成本", 'short_title: "降低\\x01算力使用成本"', 1)


def test_pack_check_names_each_control_character_with_its_place():
    with pytest.raises(PackError) as refused:
        load_pack_text(_hostile(), "made-up.yaml")
    places = {p.place: p for p in refused.value.problems}
    assert "batch.title" in places and places["batch.title"].line
    assert any(path.startswith("clauses[") and path.endswith(".short_title") for path in places)
    assert "控制字符" in places["batch.title"].message


def test_line_breaks_and_tabs_in_long_text_stay_allowed():
    text = FULL.read_text(encoding="utf-8").replace(TITLE, 'title: "（虚构）2027\\t年度人才培训政策兑现申报"')
    assert load_pack_text(text, "made-up.yaml").title.startswith("（虚构）2027\t")


@pytest.mark.django_db
def test_such_a_pack_is_not_stored(users):
    before = PackVersion.objects.count()
    with pytest.raises(PackVersionError):
        pack_version_load(_hostile(), user=users["province"], note="控制字符")
    assert PackVersion.objects.count() == before
