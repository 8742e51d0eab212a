"""Writes on platform-wide records; each one lands in the audit trail."""

from django.db import transaction

from duixian.core import clock, clock_sweeps
from duixian.core.audit_trail import audit_record
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


def demo_clock_move(moment, *, user, request=None) -> list[str]:
    """Move the demo clock, then run the apps' clock sweeps at once (the city deadline's 逾期
    marks, the reminders before the close…); returns what the sweeps said they did."""
    with transaction.atomic():  # the move and its audit row, or neither (core.audit_trail may raise)
        clock.set_demo_time(moment, user=user)
        audit_record("demo_clock.move", user=user, request=request, detail={"demo_time": moment.isoformat()})
    return clock_sweeps.run_all()
