"""Recommending several applications at once, with one confirmation (issue 20 item 5).

The clerk ticks applications on the work list, sees them listed once more and confirms once.
Each is recommended through the workflow (so each has its own history line and audit record);
none is recommended unless all can be: an application the system's pre-check found ineligible
needs its own reason and is recommended from its review page, never in a batch.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from duixian.applications.models import Application, ApplicationState as S
from duixian.applications.workflow import needs_override_reason
from duixian import authz
from duixian.review.services import ReviewError, review_decide

MAX_BATCH = 200


@dataclass(frozen=True)
class Candidate:
    application: Application
    refusal: str  # why it cannot be recommended in a batch; empty when it can


def candidates(user, ids: list[int]) -> list[Candidate]:
    """The chosen applications the clerk may see, each with why it cannot go into the batch."""
    rows = []
    apps = Application.objects.filter(pk__in=ids[:MAX_BATCH]).select_related("organisation").order_by(
        "first_submitted_at", "pk")
    for app in apps:
        if not authz.check(user, "review.application", app):
            continue  # another city's application: as if it were not there
        if app.state != S.SUBMITTED:
            refusal = _("当前状态为“%(state)s”，只有待审核的申报可以推荐。") % {"state": app.state_label}
        elif needs_override_reason(app):
            refusal = _("系统预审为不符合条件，推荐须填写理由，请在审核页逐个推荐。")
        else:
            refusal = ""
        rows.append(Candidate(app, refusal))
    return rows


def recommend_batch(user, ids: list[int], *, request=None) -> list[Application]:
    """Recommend all chosen applications, or none (ReviewError naming the first that cannot go)."""
    rows = candidates(user, ids)
    if not rows:
        raise ReviewError(_("请先勾选要推荐的申报。"))
    for row in rows:
        if row.refusal:
            raise ReviewError(_("%(reference)s：%(why)s 所选申报均未推荐。")
                              % {"reference": row.application.reference, "why": row.refusal})
    with transaction.atomic():
        return [review_decide(row.application, "recommend", user=user, expected_state=S.SUBMITTED, request=request)
                for row in rows]
