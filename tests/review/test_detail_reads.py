"""What the review page reads through queries compiled once (issue 22) is what the ORM reads."""

import pytest

from duixian.applications.selectors import state_history, state_history_list
from duixian.applications.workflow import application_transition
from duixian.review import selectors
from duixian.review.models import ChecklistResult

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_history_and_the_saved_results_are_the_orms(users, submitted, time_machine):
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    clerk = users["hefei_clerk"]
    ChecklistResult.objects.create(application=submitted, item_id="scene", result="correct", note="请补充照片",
                                   updated_by=clerk, updated_at=at("2026-04-28 09:00:00"))
    application_transition(submitted, "return", clerk, item_reasons={"scene": "请补充照片"},
                           expected_state="submitted")
    got, orm = state_history_list(submitted), list(state_history(submitted))
    assert len(got) == 2 and [c.pk for c in got] == [c.pk for c in orm]
    for mine, theirs in zip(got, orm):
        assert [getattr(mine, f.attname) for f in mine._meta.concrete_fields] == \
               [getattr(theirs, f.attname) for f in theirs._meta.concrete_fields]
        assert mine.actor == theirs.actor and mine.application is submitted
    assert got[1].actor == clerk and got[1].item_reasons == {"scene": "请补充照片"}
    rows = {r.id: (r.result, r.note) for r in selectors.checklist_rows(submitted)}
    assert rows["scene"] == ("correct", "请补充照片") and rows["purchase"] == ("", "")
