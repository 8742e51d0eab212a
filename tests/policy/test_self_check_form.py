"""政策自测's form (policy/forms.SelfCheckForm) for a fact type a new notice brings."""

from pathlib import Path

from duixian.policy.forms import SelfCheckForm
from duixian.policy.pack import load_pack

FULL = load_pack(Path(__file__).parent / "packs" / "made-up-2027-full.yaml")


def test_a_count_without_offered_answers_is_typed_in_not_picked_from_an_empty_list():
    names = ["training.trainees_count"]
    html = str(SelfCheckForm(FULL.facts, names)["training__trainees_count"])
    assert 'type="number"' in html and "<select" not in html
    form = SelfCheckForm(FULL.facts, names, data={"training__trainees_count": "60", "answered": "1"})
    assert form.is_valid() and form.facts(FULL.tz) == {"training": {"trainees_count": 60}}
    unanswered = SelfCheckForm(FULL.facts, names, data={"training__trainees_count": "", "answered": "1"})
    assert unanswered.is_valid() and unanswered.facts(FULL.tz) == {}
    assert not SelfCheckForm(FULL.facts, names, data={"training__trainees_count": "-1"}).is_valid()
