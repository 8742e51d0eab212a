"""Writes of the tracking app: a 好差评 rating. Every one is audited."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from duixian.audit.services import audit_record
from duixian.core.errors import DomainError
from duixian.tracking.models import ServiceRating
from duixian.tracking.permissions import can_rate

COMMENT_MAX = 500


class RatingRefused(DomainError):
    """A refused 好差评, with the Chinese message the applicant sees."""


def rating_submit(app, *, stage: str, score: int, comment: str = "", user, request=None) -> ServiceRating:
    allowed, reason = can_rate(user, app, stage)
    if not allowed:
        raise RatingRefused(reason)
    if not 1 <= int(score) <= 5:
        raise RatingRefused(_("请选择 1 至 5 分。"), field="score")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise RatingRefused(_("评价意见不超过 %(n)s 字。") % {"n": COMMENT_MAX}, field="comment")
    with transaction.atomic():  # the rating and its audit row, or neither
        try:
            rating = ServiceRating.objects.create(application=app, stage=stage, city_code=app.city_code,
                                                  score=int(score), comment=comment, rated_by=user)
        except IntegrityError:  # a second press at the same moment: the first one counts
            raise RatingRefused(_("您已评价过该环节，每个环节只能评价一次。")) from None
        audit_record("tracking.rating_submit", user=user, request=request, obj=rating,
                     detail={"application": app.pk, "reference": app.reference or "", "stage": stage,
                             "score": rating.score, "commented": bool(comment)})
    return rating
