"""The status page reads the latest submission's pack version and verdict status only
(applications.status_reads): the same as reading the whole snapshot and Verdict.from_json."""

from __future__ import annotations

import pytest

from duixian.applications.models import Submission
from duixian.applications.selectors import latest_submission
from duixian.applications.services import application_submit
from duixian.applications.status_reads import latest_snapshot_shown
from duixian.policy.verdict import Status, Verdict

from .conftest import at
from .test_pinned_pages import _draft

pytestmark = pytest.mark.django_db


def _whole(app):
    snapshot = latest_submission(app)
    verdict = Verdict.from_json(snapshot.verdict) if snapshot else None
    return (snapshot.pack_version if snapshot else None), (verdict.status if verdict else None)


def _shown(app):
    snapshot, verdict = latest_snapshot_shown(app)
    return (snapshot.pack_version if snapshot else None), (verdict.status if verdict else None)


def test_the_latest_snapshot_as_the_whole_one_reads(users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    user = users["hefei_applicant"]
    draft = _draft(user, "草稿")
    assert latest_snapshot_shown(draft) == (None, None) and _whole(draft) == (None, None)
    app = application_submit(_draft(user, "已提交"), user=user, token="tok-sr", declaration=True)
    assert _shown(app) == _whole(app) and _shown(app)[1] in set(Status) and _shown(app)[0]
    first = Submission.objects.get(application=app)
    later = dict(verdict=first.verdict, answers=first.answers, materials=first.materials,
                 submitted_at=first.submitted_at, application=app)
    for number, (verdict, version) in enumerate([({}, "v-empty"), ({"status": "no-such-status"}, "v-unknown"),
                                                 ({**first.verdict, "status": "ineligible"}, "v-ineligible")], 2):
        Submission.objects.create(**{**later, "verdict": verdict}, number=number, token=f"t{number}",
                                  pack_version=version)
        assert _shown(app) == _whole(app), version
    assert _shown(app) == ("v-ineligible", Status.INELIGIBLE)
    Submission.objects.filter(number=4).delete()
    assert _shown(app) == ("v-unknown", Status.NEEDS_REVIEW)
    Submission.objects.filter(number=3).delete()
    assert latest_snapshot_shown(app)[0] == ("v-empty",) and latest_snapshot_shown(app)[1] is None
