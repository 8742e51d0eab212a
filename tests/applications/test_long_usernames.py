"""A user name as long as registration takes (150 characters), with no 姓名 given, is who an
application's history names: the label (“操作人”) outgrew its column, and on PostgreSQL the
applicant's submission, or a clerk's decision, failed with a database error. It is cut to fit; the
audit trail keeps the whole user name."""

import pytest

from duixian.applications.models import ApplicationState, StateChange
from duixian.applications.services import application_submit
from duixian.audit.models import AuditEvent

from .conftest import at

pytestmark = pytest.mark.django_db

LONGEST = "u" * 150  # what the registration form's 用户名 accepts


def test_an_applicant_with_the_longest_user_name_and_no_name_submits(complete_draft, users, time_machine):
    user = users["hefei_applicant"]
    user.username, user.full_name = LONGEST, ""
    user.save()
    time_machine.move_to(at("2026-05-01 10:00:00"), tick=False)
    application_submit(complete_draft, user=user, token="t-long-user", declaration=True)
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.SUBMITTED
    change = StateChange.objects.get(application=complete_draft, action="submit")
    limit = StateChange._meta.get_field("actor_label").max_length
    assert len(change.actor_label) == limit and change.actor_label.startswith("uuu") and change.actor_label.endswith("…")
    assert AuditEvent.objects.filter(username=LONGEST).exists()  # the trail keeps who it was, whole


def test_a_clerk_with_the_longest_user_name_is_named_with_the_city_cut_to_fit(users):
    from duixian.applications.workflow import _actor_label

    clerk = users["hefei_clerk"]
    clerk.username, clerk.full_name = LONGEST, ""
    label = _actor_label(clerk)
    assert label.startswith("合肥市科技局 uuu") and len(label) == StateChange._meta.get_field("actor_label").max_length
    clerk.full_name = "张三"
    assert _actor_label(clerk) == "合肥市科技局 张三"
