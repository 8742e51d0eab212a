"""Demo data: each demo organisation's 授权书, uploaded by its 经办人 and confirmed by its city's
clerk through the same services as in production (so the history and the audit log show it).

Only an organisation still waiting for confirmation gets one: running the demo again, or on a
database seeded before letters existed, changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile

from duixian.accounts.models import User
from duixian.authz.roles import Role
from duixian.core.clock import SHANGHAI
from duixian.orgs.models import OrgStatus, Organisation
from duixian.orgs.services import authority_letter_upload, organisation_confirm

# A one-page PDF saying what it is: a demo letter, not a real one.
LETTER_PDF = (
    b"%PDF-1.4\n1 0 obj<< /Type /Catalog /Pages 2 0 R >>endobj\n"
    b"2 0 obj<< /Type /Pages /Kids [3 0 R] /Count 1 >>endobj\n"
    b"3 0 obj<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >> >>endobj\n"
    b"4 0 obj<< /Length 62 >>stream\nBT /F1 18 Tf 72 760 Td (Demo letter of authorisation) Tj ET\nendstream endobj\n"
    b"5 0 obj<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>endobj\n"
    b"trailer<< /Root 1 0 R >>\n%%EOF\n"
)
UPLOADED_AT = datetime(2026, 4, 8, 9, 30, tzinfo=SHANGHAI)
CONFIRMED_AT = datetime(2026, 4, 9, 15, 0, tzinfo=SHANGHAI)


def load_demo_letters() -> int:
    """Upload and confirm the 授权书 of every pending demo organisation; return how many."""
    done = 0
    for org in Organisation.objects.filter(status=OrgStatus.PENDING, authority_letters__isnull=True):
        manager = User.objects.filter(organisation=org, role=Role.APPLICANT).order_by("pk").first()
        clerk = User.objects.filter(role=Role.CITY_CLERK, city_code=org.city_code).order_by("pk").first()
        if manager is None or clerk is None:
            continue
        with mock.patch("duixian.core.clock.now", return_value=UPLOADED_AT):
            authority_letter_upload(org, SimpleUploadedFile("授权书（加盖公章）.pdf", LETTER_PDF), user=manager)
        with mock.patch("duixian.core.clock.now", return_value=CONFIRMED_AT):
            organisation_confirm(org, user=clerk)
        done += 1
    return done
