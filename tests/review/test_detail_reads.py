"""What the review page reads through queries compiled once (issue 22) is what the ORM reads."""

import pytest

from duixian.applications.workflow import application_transition
from duixian.review import selectors
from duixian.review.models import ChecklistResult

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_saved_results_are_the_orms(users, submitted, time_machine):
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    clerk = users["hefei_clerk"]
    ChecklistResult.objects.create(application=submitted, item_id="scene", result="correct", note="请补充照片",
                                   updated_by=clerk, updated_at=at("2026-04-28 09:00:00"))
    application_transition(submitted, "return", clerk, item_reasons={"scene": "请补充照片"},
                           expected_state="submitted")
    rows = {r.id: (r.result, r.note) for r in selectors.checklist_rows(submitted)}
    assert rows["scene"] == ("correct", "请补充照片") and rows["purchase"] == ("", "")
