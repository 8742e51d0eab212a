"""Who may see and change an organisation's wallet: rules of the authorization registry
(duixian.authz). Each answers a Decision (allowed, reason).

The wallet is the organisation's own: its members see it, its editors (经办人, 填报人) add,
replace and attach documents. Clerks and the province see only the copies attached to
submitted applications (as materials, with where each came from), never the wallet itself.
The object is whose wallet: a wallet document, an organisation, anything of an organisation
(an application), or None: the signed-in user's own."""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.authz import OWN, allow, check, deny, rule
from duixian.authz.roles import Role
from duixian.orgs.models import Organisation
from duixian.orgs.permissions import is_member_of

MEMBERS = {Role.APPLICANT: OWN}


def _organisation_id(user, obj):
    if obj is None:
        return getattr(user, "organisation_id", None)
    return obj.pk if isinstance(obj, Organisation) else obj.organisation_id


@rule("wallet.view", roles=MEMBERS)
def can_view_wallet(user, obj=None):
    if is_member_of(user, _organisation_id(user, obj)):
        return allow()
    return deny(_("只有本单位用户可以查看单位证照库。"))


@rule("wallet.change", roles=MEMBERS)
def can_change_wallet(user, obj=None):
    """Add, replace, retire: the organisation's editors. A member who only views is told why."""
    seen = can_view_wallet(user, obj)
    if not seen.allowed:
        return seen
    allowed, reason = check(user, "application.create")
    return allow() if allowed else deny(reason, hidden=False)
