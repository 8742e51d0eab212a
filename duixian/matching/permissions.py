"""Who sees an organisation's matches and sets how they are told: rules of the authorization
registry (duixian.authz). Each answers a Decision (allowed, reason).

The matches are the organisation's own: its members (applicant accounts) only. Clerks and the
province see applications, never what the platform guessed about an organisation. The object
is the organisation, or None for the signed-in member's own."""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.authz import OWN, allow, check, deny, rule
from duixian.authz.roles import Role
from duixian.orgs.permissions import is_member_of


@rule("matching.view", roles={Role.APPLICANT: OWN})
def can_view_matches(user, organisation=None):
    organisation_id = organisation.pk if organisation is not None else getattr(user, "organisation_id", None)
    if is_member_of(user, organisation_id):
        return allow()
    return deny(_("只有本单位用户可以查看政策匹配结果。"))


@rule("matching.channels", roles={Role.APPLICANT: OWN})
def can_set_channels(user):
    """Each member chooses for themself: an applicant account of an organisation."""
    return check(user, "matching.view")
