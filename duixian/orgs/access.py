"""How the matrix builds the organisation pages' URLs (see duixian.authz.access for the format);
who may open them is the actions their views declare (duixian/orgs/permissions.py).

An organisation is seen by its own people, its city's clerks and the province; only its city's
clerk confirms, rejects or changes its 经办人; only its own 经办人 manages its people.
"""

from __future__ import annotations

import itertools

from duixian.authz.access import UrlAccess
from duixian.authz.roles import Role

_numbers = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def _member(scope):
    """A second person of the scope's organisation (a 填报人)."""
    from duixian.accounts.models import User
    from duixian.orgs.models import OrgMembership, OrgRole

    org = scope.organisation
    OrgMembership.objects.get_or_create(user=scope.users[Role.APPLICANT],
                                        defaults={"organisation": org, "role": OrgRole.MANAGER})
    user = User.objects.create(username=f"matrix_member_{next(_numbers)}", role=Role.APPLICANT, organisation=org)
    OrgMembership.objects.create(user=user, organisation=org, role=OrgRole.EDITOR)
    return user


def _invitation(scope):
    from duixian.orgs.models import OrgRole
    from duixian.orgs.services import invitation_create

    return invitation_create(scope.organisation, OrgRole.EDITOR, "矩阵", user=scope.users[Role.APPLICANT])


def _letter(scope):
    """The 授权书 the organisation uploaded and its city's clerk confirmed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from duixian.orgs.models import OrgStatus
    from duixian.orgs.services import authority_letter_upload, organisation_confirm

    org = scope.organisation
    org.status = OrgStatus.PENDING
    org.save(update_fields=["status"])
    letter = authority_letter_upload(org, SimpleUploadedFile("授权书.pdf", PDF, content_type="application/pdf"),
                                     user=scope.users[Role.APPLICANT])
    organisation_confirm(org, user=scope.users[Role.CITY_CLERK])
    return letter


def _org(scope):
    return {"pk": scope.organisation.pk}


URL_ACCESS = [
    UrlAccess("orgs:register", public=True, ok_statuses=(302,),
              note="anonymous visitors register; a signed-in user is sent to the dashboard"),
    UrlAccess("orgs:join", public=True, ok_statuses=(410,),
              make=lambda scope: {"token": _invitation(scope)[1]},
              note="anonymous visitors with a valid token join; a signed-in user is asked to sign out first"),
    UrlAccess("orgs:mine", note="clerks and the province are redirected to the review list"),
    UrlAccess("orgs:letter_upload", post_only=True),
    UrlAccess("orgs:change_city", post_only=True),
    UrlAccess("orgs:people"),
    UrlAccess("orgs:member_remove", post_only=True, make=lambda scope: {"user_id": _member(scope).pk}),
    UrlAccess("orgs:member_role", post_only=True, make=lambda scope: {"user_id": _member(scope).pk}),
    UrlAccess("orgs:invitation_revoke", post_only=True,
              make=lambda scope: {"pk": _invitation(scope)[0].pk}),
    UrlAccess("orgs:profile"),
    UrlAccess("orgs:letter_file",
              make=lambda scope: {"pk": _letter(scope).pk}),
    UrlAccess("orgs:review_list"),
    UrlAccess("orgs:review", make=_org),
    UrlAccess("orgs:confirm", post_only=True, make=_org),
    UrlAccess("orgs:reject", post_only=True, make=_org),
    UrlAccess("orgs:transfer", post_only=True, make=_org),
]
