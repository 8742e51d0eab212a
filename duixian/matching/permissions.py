"""Who sees an organisation's matches and sets how they are told. Each answers (allowed, reason).

The matches are the organisation's own: its members (applicant accounts) only. Clerks and the
province see applications, never what the platform guessed about an organisation."""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.orgs.permissions import is_member_of

Decision = tuple[bool, str]


def can_view_matches(user, organisation_id) -> Decision:
    if is_member_of(user, organisation_id):
        return True, ""
    return False, _("只有本单位用户可以查看政策匹配结果。")


def can_set_channels(user) -> Decision:
    """Each member chooses for themself: an applicant account of an organisation."""
    return can_view_matches(user, getattr(user, "organisation_id", None))
