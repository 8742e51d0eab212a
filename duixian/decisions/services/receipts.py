"""1. The paper materials each city hands in at the province's window (the pack's
`delivery.items`), one record per city and batch, judged by that batch's delivery rules."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from duixian.applications import policy_bridge
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.decisions.models import PaperReceipt
from duixian.decisions.services.base import DecisionError, require_province
from duixian.codes import divisions


def paper_receipt_record(*, batch_id: str, city_code: str, received_at: dt.datetime, items: list[str], copies: int,
                         note: str = "", user, request=None) -> PaperReceipt:
    """`items`: which of the batch's `delivery.items` arrived (the pack's words)."""
    require_province(user)
    city = divisions.city_by_code(city_code)
    if city is None:
        raise DecisionError(_("请选择安徽省16个地市之一。"), "city_code")
    now = clock.now()
    if received_at > now:
        raise DecisionError(_("接收时间不能晚于现在。"), "received_at")
    delivery = policy_bridge.batch_pack(batch_id).delivery
    unknown = [item for item in items if item not in delivery.items]
    if unknown:
        raise DecisionError(_("本批次的报送材料中没有：%(items)s。") % {"items": "、".join(unknown)}, "items")
    items = [item for item in delivery.items if item in items]  # the pack's order, once each
    with transaction.atomic():  # the receipt and its audit row, or neither
        receipt, created = PaperReceipt.objects.update_or_create(
            city_code=city.code, batch_id=batch_id,
            defaults=dict(received_at=received_at, items=items, copies=copies,
                          note=note.strip(), recorded_by=user, recorded_at=now),
        )
        audit_record("decisions.paper_receipt", user=user, request=request, obj=receipt, detail={
            "batch_id": batch_id, "city_code": city.code, "received_at": received_at.isoformat(),
            "on_time": receipt.on_time(delivery.deadline), "complete": receipt.complete(delivery),
            "items": {item: item in items for item in delivery.items},
            "copies": copies, "created": created,
        })
    return receipt
