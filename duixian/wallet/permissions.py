"""Who may see and change an organisation's wallet. Each function answers (allowed, reason).

The wallet is the organisation's own: its members see it, its editors (经办人, 填报人) add,
replace and attach documents. Clerks and the province see only the copies attached to
submitted applications (as materials, with where each came from), never the wallet itself."""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.orgs.permissions import is_member_of
from duixian.applications.permissions import can_create_application

Decision = tuple[bool, str]


def can_view_wallet(user, organisation_id) -> Decision:
    if is_member_of(user, organisation_id):
        return True, ""
    return False, _("只有本单位用户可以查看单位证照库。")


def can_change_wallet(user, organisation_id) -> Decision:
    allowed, reason = can_view_wallet(user, organisation_id)
    if not allowed:
        return allowed, reason
    return can_create_application(user)
