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
