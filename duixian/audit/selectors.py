"""Searching the audit trail (the audit administrator's page and exports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet

from duixian.audit.models import AuditEvent
from duixian.core.clock import SHANGHAI


@dataclass(frozen=True)
class AuditFilters:
    username: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    outcome: str = ""
    date_from: date | None = None
    date_to: date | None = None  # inclusive, a whole day in Asia/Shanghai

    def as_dict(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items() if v}


def audit_search(filters: AuditFilters) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if filters.username:
        events = events.filter(username__iexact=filters.username)
    if filters.action:
        events = events.filter(action__startswith=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.outcome:
        events = events.filter(outcome=filters.outcome)
    if filters.date_from:
        events = events.filter(at__gte=datetime.combine(filters.date_from, time.min, SHANGHAI))
    if filters.date_to:
        events = events.filter(at__lt=datetime.combine(filters.date_to + timedelta(days=1), time.min, SHANGHAI))
    return events.order_by("-id")


def known_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())
