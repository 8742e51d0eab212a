"""The clerk's 申报信息（提交时） shows the submission time as a Beijing time, not a raw ISO string."""

import pytest

from tests.applications.conftest import at, signin

pytestmark = pytest.mark.django_db


def test_submission_time_in_the_answers_is_shown_as_beijing_time(client, users, time_machine, submitted):
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    page = client.get(f"/review/{submitted.pk}/").content.decode()
    assert "2026-04-21T09:00:00" not in page  # the snapshot's stored form
    assert "<th scope=\"row\">首次提交时间</th><td>2026年4月21日 09:00:00</td>" in page


def test_the_answers_are_listed_in_the_order_the_form_asks_them(client, users, time_machine, submitted):
    """Whatever order the snapshot keeps its keys in (PostgreSQL's jsonb puts shorter names first),
    the clerk reads the answers as the applicant was asked them, section by section."""
    from duixian.applications import policy_bridge, questions as q
    from duixian.applications.answer_rows import answer_rows
    from duixian.applications.models import Submission

    snapshot = Submission.objects.filter(application=submitted).latest("pk")
    flat = q.flatten(snapshot.answers)
    as_stored = answer_rows(snapshot)
    snapshot.answers = q.nest(dict(reversed(list(flat.items()))))  # stored the other way round
    assert answer_rows(snapshot) == as_stored  # what the form does not ask too: the same on either database
    facts = policy_bridge.application_pack(submitted).facts
    asked = [facts.get(question.name).label if facts.get(question.name) else question.name
             for section in q.sections_for(submitted.clause, submitted.application_type)
             for question in section.questions if question.name in flat]
    shown = [label for label, _value in answer_rows(snapshot)]
    assert [label for label in shown if label in asked] == asked
    assert shown[:len(asked)] == asked  # what the form does not ask comes after
