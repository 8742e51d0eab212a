"""Writes of the reading help: a new revision of a clause's 解读. Every one is audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from duixian.audit.services import audit_record
from duixian.core.errors import DomainError
from duixian.guidance.models import Interpretation
from duixian import authz
from duixian.guidance.selectors import current_interpretation

BODY_MAX = 5000


class InterpretationRefused(DomainError):
    """A refused 解读 revision, with the Chinese message the editor sees."""


def interpretation_save(pack, clause, *, body: str, note: str = "", user, request=None) -> Interpretation:
    allowed, reason = authz.check(user, "guidance.edit")
    if not allowed:
        raise InterpretationRefused(reason)
    number = int(clause)
    if not any(c.number == number for c in pack.clauses):
        raise InterpretationRefused(_("本批次没有该政策条款。"))
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise InterpretationRefused(_("请填写解读正文。"), field="body")
    if len(body) > BODY_MAX:
        raise InterpretationRefused(_("解读正文不超过 %(n)s 字。") % {"n": BODY_MAX}, field="body")
    current = current_interpretation(pack, number)
    if current is not None and current.body == body:
        raise InterpretationRefused(_("解读正文没有变化，未保存新版本。"), field="body")
    with transaction.atomic():  # the new version and its audit row, or neither
        item = Interpretation.objects.create(batch_id=pack.batch_id, clause=str(number), body=body,
                                             note=(note or "").strip()[:200], edited_by=user)
        audit_record("guidance.interpretation_save", user=user, request=request, obj=item,
                     detail={"batch": pack.batch_id, "clause": number, "chars": len(body),
                             "replaces": current.pk if current else None, "note": item.note})
    return item
