"""Login lockouts (django-axes) and who may lift one before its 30 minutes are up.

A lockout holds for one account from one address (AXES_LOCKOUT_PARAMETERS: username AND
ip_address), so wrong passwords typed by someone else never lock the owner out of their own
machine. Early unlocking: the organisation's own 经办人 for the 填报人/查看人 of the same
organisation, the security administrator for anyone. Every unlock is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duixian.accounts.models import User
from duixian.accounts.organisations import organisations
from duixian.authz.roles import Role
from duixian.audit.services import audit_record
from duixian.core.errors import DomainError


class UnlockError(DomainError):
    """A refused unlock, with the Chinese message the user sees."""


@dataclass(frozen=True)
class Lockout:
    username: str
    ip_address: str
    failures: int
    until: datetime


def _active_locks(usernames=None) -> list[Lockout]:
    """The accounts locked now, one per account and source, newest first.

    django-axes keeps one row per account, source AND browser (User-Agent) and locks when the
    failures of the rows still inside the cool-off add up to the limit: three from the laptop and
    two from the phone behind one address lock the account, so the rows are summed here too (each
    row alone was below the limit, and the lock was neither listed nor liftable). The lock ends
    when enough of the oldest rows have left the cool-off for the sum to drop below the limit."""
    from axes.models import AccessAttempt

    # axes counts on the real clock (its own timing), not the platform clock
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = AccessAttempt.objects.filter(attempt_time__gt=since, failures_since_start__gt=0)
    if usernames is not None:
        rows = rows.filter(username__in=usernames)
    groups: dict[tuple[str, str], list[tuple[datetime, int]]] = {}
    for username, address, when, failures in rows.order_by("-attempt_time").values_list(
            "username", "ip_address", "attempt_time", "failures_since_start")[:5000]:
        groups.setdefault((username or "", address or ""), []).append((when, failures))
    locks = []
    for (username, address), attempts in groups.items():
        total = sum(failures for _when, failures in attempts)
        if total < settings.AXES_FAILURE_LIMIT:
            continue
        for when, failures in sorted(attempts):  # oldest first: the order they leave the cool-off
            total -= failures
            if total < settings.AXES_FAILURE_LIMIT:
                until = when + settings.AXES_COOLOFF_TIME
                break
        locks.append(Lockout(username, address, sum(f for _w, f in attempts), until))
    return sorted(locks, key=lambda lock: (lock.username, -lock.until.timestamp()))


def _is_org_manager(user) -> bool:
    return organisations().is_manager(user)


def _usernames_in_reach(viewer) -> set[str] | None:
    """Accounts whose lockout `viewer` may lift: None means every account, an empty set none."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return set()
    if viewer.role == Role.SECURITY_ADMIN:
        return None
    if viewer.role == Role.APPLICANT and _is_org_manager(viewer):
        colleagues = User.objects.filter(organisation_id=viewer.organisation_id, role=Role.APPLICANT, is_active=True)
        return {u for u in colleagues.exclude(pk=viewer.pk).values_list("username", flat=True)}
    return set()


def can_manage_lockouts(viewer) -> tuple[bool, str]:
    if getattr(viewer, "is_authenticated", False) and viewer.is_active and (
        viewer.role == Role.SECURITY_ADMIN or viewer.role == Role.APPLICANT and _is_org_manager(viewer)
    ):
        return True, ""
    return False, _("只有本单位经办人或安全管理员可以解除登录锁定。")


def lockouts_visible_to(viewer) -> list[Lockout]:
    reach = _usernames_in_reach(viewer)
    return _active_locks(reach)[:500]


def may_release(viewer, username: str) -> bool:
    reach = _usernames_in_reach(viewer)
    return reach is None or username in reach


@transaction.atomic
def lockout_release(username: str, *, by, request=None) -> int:
    """Lift every lockout of `username` (from every address); return how many were lifted."""
    from axes.utils import reset

    if not may_release(by, username):
        raise UnlockError(_("您不能解除该账号的锁定。"))
    addresses = sorted({lock.ip_address for lock in _active_locks({username})})
    if not addresses:
        raise UnlockError(_("该账号当前没有被锁定。"))
    count = reset(username=username)
    audit_record("login.unlock", user=by, request=request,
                 detail={"target": username, "addresses": addresses, "records": count})
    return count
