"""What the applicant's status page reads of the latest submission (issue 22): its pack version
and its verdict's status, not the whole snapshot (the answers, the materials' list, every rule's
outcome: JSON documents decoded and objects built on every view for two words of the page)."""

from __future__ import annotations

from typing import NamedTuple

from duixian.applications.models import Submission
from duixian.core.compiled import CompiledRows
from duixian.policy.verdict import Status

_LATEST = CompiledRows(Submission, lambda app_id: Submission.objects.filter(application_id=app_id)
                       .order_by("-number").values_list("pack_version", "verdict"), (-7_310_559,))


class SnapshotShown(NamedTuple):
    """The page's `snapshot`: its `pack_version` (an object, true, where there is a snapshot)."""

    pack_version: str


class VerdictShown(NamedTuple):
    """The page's `snapshot_verdict`: its `status`, as Verdict.from_json reads it."""

    status: Status


def latest_snapshot_shown(app) -> tuple[SnapshotShown | None, VerdictShown | None]:
    """(snapshot, snapshot_verdict) of the status page: None, None for a draft never submitted;
    the verdict None where it is empty (never computed), as Verdict.from_json answers."""
    found = _LATEST.all(app.pk, limit=1)
    if not found:
        return None, None
    pack_version, verdict = found[0]
    if not verdict:
        return SnapshotShown(pack_version), None
    return SnapshotShown(pack_version), VerdictShown(Status.read(verdict.get("status")) or Status.NEEDS_REVIEW)
