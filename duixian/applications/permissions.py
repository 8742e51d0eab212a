"""Who may see and change an application: the rules of the authorization registry
(duixian.authz). Each answers a Decision (allowed, reason).

An application is seen by its organisation's people; once submitted also by its city's clerks
and the province; never by experts (they read assignments in decisions) or administrators.
Drafts are the organisation's alone. A refusal to see is hidden (404), so another
organisation's application ids reveal nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.authz import ALL, OWN, allow, deny, rule
from duixian.authz.roles import Role
from duixian.applications.selectors import application_visible_to
from duixian.orgs.models import OrgRole
from duixian.orgs.permissions import can_edit_drafts, member_role

SEEN = {Role.APPLICANT: OWN, Role.CITY_CLERK: OWN, Role.PROVINCE: ALL}
OWN_ORGANISATION = {Role.APPLICANT: OWN}


@rule("application.view", roles=SEEN)
def can_view_application(user, app):
    if application_visible_to(user, app):
        return allow()
    return deny(_("您无权查看该申报。"))


@rule("application.edit", roles=OWN_ORGANISATION)
def can_edit_application(user, app):
    """Fill answers and replace materials: the organisation's editors, while draft or returned.
    Who may see the application is told why not (403 or the status page); others learn nothing."""
    if not application_visible_to(user, app):
        return deny(_("您无权修改该申报。"))
    if not (user.role == Role.APPLICANT and user.organisation_id == app.organisation_id):
        return deny(_("您无权修改该申报。"), hidden=False)
    allowed, reason = can_edit_drafts(user, app.organisation)
    if not allowed:
        return deny(reason, hidden=False)
    if not app.editable:
        return deny(_("申报当前状态为“%(state)s”，已不能修改。") % {"state": app.state_label}, hidden=False)
    return allow()


@rule("application.create", roles={Role.APPLICANT: ALL})
def can_create_application(user):
    """Start a draft, withdraw, copy a withdrawn one: the organisation's editors (经办人, 填报人),
    not its read-only 查看人."""
    if getattr(user, "is_authenticated", False) and user.role == Role.APPLICANT and user.organisation_id:
        return _edits_drafts(user)
    return deny(_("只有申报单位用户可以新建申报。"))


@rule("application.withdraw", roles=OWN_ORGANISATION)
@rule("application.copy", roles=OWN_ORGANISATION)
def can_act_for_organisation(user, app):
    """Withdraw it, or copy a withdrawn one into a new draft: an editor of its organisation (the
    workflow then says whether the state and the window allow it)."""
    if not (application_visible_to(user, app) and user.role == Role.APPLICANT
            and user.organisation_id == app.organisation_id):
        return deny(_("您无权处理该申报。"))
    return can_create_application(user)


@rule("application.poll", roles=OWN_ORGANISATION)
def can_follow_submission(user, app):
    """The confirmation page's poll: anyone of the organisation that pressed 提交."""
    if (getattr(user, "is_authenticated", False) and user.is_active and user.organisation_id
            and user.organisation_id == app.organisation_id):
        return allow()
    return deny(_("您无权查看该申报。"))


def _edits_drafts(user):
    """A member who only views is told why (403): there is no object whose existence to hide."""
    role = member_role(user)
    if role in (OrgRole.MANAGER, OrgRole.EDITOR):
        return allow()
    if role is None:
        return deny(_("只有申报单位用户可以新建申报。"))
    return deny(_("您在本单位的角色为查看人，只能查看，不能填写申报；如需填写请联系本单位经办人。"), hidden=False)
