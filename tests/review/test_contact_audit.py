"""The 汇总表 contact and its audit row commit together: when the audit row cannot be written, the
contact stays as it was."""

import pytest

from duixian.review.models import CityContact
from duixian.review.services import city_contact_save
from tests.audit.failing import AuditDown, audit_insert_fails

pytestmark = pytest.mark.django_db


def test_a_contact_whose_audit_row_fails_is_not_kept(users, monkeypatch):
    clerk = users["hefei_clerk"]
    city_contact_save("340100", name="张晓明", phone="0551-62626995", user=clerk)
    audit_insert_fails(monkeypatch, "review.contact_save")
    with pytest.raises(AuditDown):
        city_contact_save("340100", name="李四", phone="0551-12345678", user=clerk)
    assert CityContact.objects.get(city_code="340100").contact_name == "张晓明"
