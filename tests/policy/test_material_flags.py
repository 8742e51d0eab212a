"""Material slots are pack data: `required` and `confirmed`, stated for every slot and checked."""

from pathlib import Path

import pytest

from duixian.policy.cli import run_check
from duixian.policy.pack import PackError, default_pack, load_pack_text

PACK_TEXT = (Path(__file__).parent.parent.parent / "duixian/policy/packs/anhui-2026.yaml").read_text(encoding="utf-8")
FORM = '{id: application_form, name: 兑现申报书（“安徽科技大脑”平台下载填报）, required: true, confirmed: true, sentence: "6.2.a"}'


def _edited(old, new):
    assert old in PACK_TEXT, old
    return PACK_TEXT.replace(old, new, 1)


def test_the_notice_confirms_only_the_application_form_and_no_slot_is_the_citys_paper_delivery():
    pack = default_pack()
    common = pack.materials(2)
    form = next(m for m in common if m.id == "application_form")
    assert form.required and form.confirmed and form.blocking and form.sentence == "6.2.a"
    others = [m for m in common if m.id != "application_form"]
    assert others and all(m.required and not m.confirmed and not m.blocking for m in others)
    for clause, kind in ((2, None), (4, None), (5, "creation"), (5, "evaluation")):
        ids = [m.id for m in pack.materials(clause, kind)]
        assert "stamped_copies" not in ids
        assert not any("一式两份" in m.name for m in pack.materials(clause, kind))
    assert "兑现材料（加盖公章）" in pack.delivery.items  # the city's duty stays in `delivery`


@pytest.mark.parametrize("new, message", [
    ('{id: application_form, name: 兑现申报书（“安徽科技大脑”平台下载填报）, confirmed: true, sentence: "6.2.a"}', "缺少必填项"),
    ('{id: application_form, name: 兑现申报书（“安徽科技大脑”平台下载填报）, required: "yes", confirmed: true, sentence: "6.2.a"}',
     "布尔值"),
    ('{id: application_form, name: 兑现申报书（“安徽科技大脑”平台下载填报）, required: true, confirmed: true}', "须注明依据"),
    ('{id: stamped_copies, name: 兑现材料加盖公章，一式两份, required: true, confirmed: true, sentence: "6.3.a"}',
     "纸质报送"),
    ('{id: ip_proof, name: 兑现申报书, required: true, confirmed: true, sentence: "6.2.a"}', "重复"),
])
def test_pack_check_refuses_bad_material_flags(tmp_path, new, message):
    text = _edited(FORM, new)
    with pytest.raises(PackError) as err:
        load_pack_text(text, "broken.yaml")
    joined = "\n".join(str(p) for p in err.value.problems)
    assert message in joined, joined
    assert any(p.place.startswith("materials.") and p.line for p in err.value.problems), joined
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    outcome = run_check(str(path))  # `duixian pack check FILE`
    assert outcome.code == 1 and message in outcome.stderr
