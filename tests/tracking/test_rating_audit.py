"""A 好差评 and its audit row commit together: when the audit row cannot be written, no rating is kept."""

import pytest

from duixian.tracking.models import ServiceRating
from duixian.tracking.services import rating_submit
from tests.audit.failing import AuditDown, audit_insert_fails

pytestmark = pytest.mark.django_db


def test_a_rating_whose_audit_row_fails_is_not_kept(recommended, users, monkeypatch):
    audit_insert_fails(monkeypatch, "tracking.rating_submit")
    with pytest.raises(AuditDown):
        rating_submit(recommended[0], stage="city", score=4, user=users["hefei_applicant"])
    assert not ServiceRating.objects.exists()
