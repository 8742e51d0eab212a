"""The city deadline's words and time left, and its box (review/_deadline.html), are worked out
once per batch, day and language (issue 22): what they say is what they said when worked out
each time, on every day up to and past the deadline, in both languages."""

import datetime as dt

import pytest
from django.template.loader import get_template
from django.utils import translation

from duixian.core import workdays
from duixian.core.clock import SHANGHAI
from duixian.policy.pack import default_pack
from duixian.review import selectors
from duixian.review.templatetags.deadline_box import deadline_box


def _fresh(moment, pack):
    deadline = pack.city_review_deadline
    sentence = pack.city_review_expiry_sentence
    from duixian.applications import policy_bridge

    return selectors.Deadline(deadline, policy_bridge.format_moment(deadline), workdays.time_left(moment, deadline),
                              pack.cite(sentence), pack.sentence(sentence).text if sentence else "")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_day_up_to_and_past_the_deadline(language):
    pack = default_pack()
    deadline = pack.city_review_deadline
    moments = [deadline - dt.timedelta(days=d, minutes=m) for d in range(0, 12) for m in (1, 600)]
    moments += [deadline - dt.timedelta(seconds=1), deadline, deadline + dt.timedelta(seconds=1),
                deadline + dt.timedelta(days=3), deadline.astimezone(SHANGHAI).replace(hour=0, minute=0)]
    template = get_template("review/_deadline.html")
    with translation.override(language):
        for _round in range(2):  # worked out, then remembered
            for moment in moments:
                fresh = _fresh(moment, pack)
                assert selectors.city_deadline(moment, pack) == fresh, moment
                assert deadline_box(fresh) == template.render({"deadline": fresh}), moment
        this = selectors.city_deadline(moments[0], pack)
    with translation.override("en" if language == "zh-hans" else "zh-hans"):
        other = selectors.city_deadline(moments[0], pack)
    assert other.text != this.text and other.left == this.left
