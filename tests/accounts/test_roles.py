import pytest
from django.db import IntegrityError, transaction

from duixian.accounts.models import User
from duixian.authz.roles import ADMIN_ROLES, Role

pytestmark = pytest.mark.django_db


def test_three_administrators_are_three_distinct_roles_and_one_account_has_one_role(users):
    admins = [users["system_admin"], users["security_admin"], users["audit_admin"]]
    assert {u.role for u in admins} == set(ADMIN_ROLES) and len(ADMIN_ROLES) == 3
    # One role field per account: granting a second administrator role replaces, never adds.
    sysadmin = users["system_admin"]
    sysadmin.role = Role.AUDIT_ADMIN
    sysadmin.save()
    sysadmin.refresh_from_db()
    assert [r for r in ADMIN_ROLES if sysadmin.role == r] == [Role.AUDIT_ADMIN]


def test_applicant_without_organisation_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="orphan", role=Role.APPLICANT)


def test_clerk_without_city_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nocity", role=Role.CITY_CLERK)


def test_staff_cannot_belong_to_an_organisation(hefei_org):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="mixed", role=Role.PROVINCE, organisation=hefei_org)
