"""Who may see and change an application. Each function answers (allowed, reason).

Views turn a refusal to see into a 404, so another organisation's application ids reveal nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.accounts.roles import Role
from duixian.applications.selectors import applications_visible_to

Decision = tuple[bool, str]


def can_view_application(user, app) -> Decision:
    if applications_visible_to(user).filter(pk=app.pk).exists():
        return True, ""
    return False, _("您无权查看该申报。")


def can_edit_application(user, app) -> Decision:
    """Fill answers and replace materials: the organisation's editors, while draft or returned."""
    if not (getattr(user, "is_authenticated", False) and user.role == Role.APPLICANT
            and user.organisation_id == app.organisation_id):
        return False, _("您无权修改该申报。")
    try:
        from duixian.orgs.permissions import can_edit_drafts
    except ImportError:  # pragma: no cover
        can_edit_drafts = None
    if can_edit_drafts is not None:
        allowed, reason = can_edit_drafts(user, app.organisation)
        if not allowed:
            return False, reason
    if not app.editable:
        return False, _("申报当前状态为“%(state)s”，已不能修改。") % {"state": app.state_label}
    return True, ""


def can_create_application(user) -> Decision:
    """Start a draft, withdraw, copy a withdrawn one: the organisation's editors (经办人, 填报人),
    not its read-only 查看人."""
    if getattr(user, "is_authenticated", False) and user.role == Role.APPLICANT and user.organisation_id:
        return _edits_drafts(user)
    return False, _("只有申报单位用户可以新建申报。")


def _edits_drafts(user) -> Decision:
    try:
        from duixian.orgs.permissions import member_role
        from duixian.orgs.models import OrgRole
    except ImportError:  # pragma: no cover
        return True, ""
    if member_role(user) in (OrgRole.MANAGER, OrgRole.EDITOR):
        return True, ""
    return False, _("您在本单位的角色为查看人，只能查看，不能填写申报；如需填写请联系本单位经办人。")
