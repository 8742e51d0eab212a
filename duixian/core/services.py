"""Writes on platform-wide records; each one lands in the audit trail."""

from django.db import transaction

from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.core.models import Announcement


@transaction.atomic
def announcement_publish(form, *, user, request=None) -> Announcement:
    item = form.save(commit=False)
    item.created_by = user
    item.save()
    audit_record("announcement.publish", user=user, request=request, obj=item, detail={"title": item.title})
    return item


@transaction.atomic
def announcement_withdraw(pk: int, *, user, request=None) -> None:
    item = Announcement.objects.select_for_update().get(pk=pk)
    item.published = False
    item.save(update_fields=["published", "updated_at"])
    audit_record("announcement.withdraw", user=user, request=request, obj=item)


def demo_clock_move(moment, *, user, request=None):
    """Move the demo clock; returns the deadline sweep's result when the move made it due."""
    clock.set_demo_time(moment, user=user)
    audit_record("demo_clock.move", user=user, request=request, detail={"demo_time": moment.isoformat()})
    # Moved past the city deadline: what it left open is 逾期 now, not when a worker next looks.
    from duixian.review.services import sweep_if_due

    return sweep_if_due()
    # Moved into a reminder period before the application close: the drafts are told now.
    from duixian.applications.reminders import reminders_send_due

    reminders_send_due()
