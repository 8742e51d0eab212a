"""Citations of the notice's sentences come from the pack (issue 18): the paper delivery cites the
sentence `delivery.sentence` names, the city deadline's 逾期 cites
`windows.city_review_expiry_sentence`, and `duixian pack check` refuses a name that is no sentence."""

from pathlib import Path

import pytest

from duixian.applications import policy_bridge
from duixian.policy.pack import PackError, load_pack_text

ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "duixian/policy/packs/anhui-2026.yaml").read_text(encoding="utf-8")
FULL = (ROOT / "tests/policy/packs/made-up-2027-full.yaml").read_text(encoding="utf-8")


def _edited(*edits):
    text = TEXT
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_the_shipped_pack_names_its_delivery_and_expiry_sentences():
    pack = load_pack_text(TEXT, "anhui.yaml")
    assert (pack.delivery.sentence, pack.city_review_expiry_sentence) == ("6.3.a", "6.4.a")
    assert pack.cite("6.3.a") == "通知六、（三）" and pack.cite("") == ""
    assert pack.cite("P.2") == "《若干政策（2.0版）》二"


def test_the_delivery_duty_cites_the_packs_sentence():
    moved = load_pack_text(_edited(('ref: "六、（三）"', 'ref: "八、（二）"')), "moved.yaml")
    text = policy_bridge.delivery_duty_text(moved)
    assert text.endswith("（通知八、（二））。") and "六、（三）" not in text
    made_up = load_pack_text(FULL, "made-up.yaml")
    assert "通知" not in policy_bridge.delivery_duty_text(made_up)  # it names no sentence: nothing is cited


def test_pack_check_refuses_a_reference_to_no_sentence():
    text = _edited(('sentence: "6.3.a"', 'sentence: "9.9"'),
                   ('city_review_expiry_sentence: "6.4.a"', 'city_review_expiry_sentence: "9.8"'))
    with pytest.raises(PackError) as err:
        load_pack_text(text, "broken.yaml")
    problems = [str(p) for p in err.value.problems]
    assert any(p.startswith("delivery.sentence") and "9.9" in p for p in problems), problems
    assert any(p.startswith("windows.city_review_expiry_sentence") and "9.8" in p for p in problems), problems
