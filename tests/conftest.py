"""Shared fixtures: users of every role, organisations in two cities, a frozen clock."""

import pytest

from duixian.accounts.models import User
from duixian.accounts.roles import Role
from duixian.orgs.models import OrgKind, OrgStatus, Organisation

PASSWORD = "Test#2026pw"


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_org(uscc: str, name: str, city_code: str, kind: str = OrgKind.ENTERPRISE) -> Organisation:
    return Organisation.objects.create(
        uscc=uscc, name=name, kind=kind, region_code=city_code, city_code=city_code, in_anhui=True,
        status=OrgStatus.CONFIRMED, independent_legal_person=True, agi_enterprise=True,
        owns_ip=True, credit_good=True, major_violation=False,
    )


def make_user(username: str, role: str, **extra) -> User:
    user = User(username=username, role=role, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def hefei_org(db):
    return make_org("91340100MA2RXH7Q95", "合肥测试科技有限公司", "340100")


@pytest.fixture
def wuhu_org(db):
    return make_org("91340200MA2N8K3L1T", "芜湖测试科技有限公司", "340200")


@pytest.fixture
def users(db, hefei_org, wuhu_org):
    return {
        "hefei_applicant": make_user("hefei_applicant", Role.APPLICANT, organisation=hefei_org),
        "wuhu_applicant": make_user("wuhu_applicant", Role.APPLICANT, organisation=wuhu_org),
        "hefei_clerk": make_user("hefei_clerk", Role.CITY_CLERK, city_code="340100"),
        "wuhu_clerk": make_user("wuhu_clerk", Role.CITY_CLERK, city_code="340200"),
        "province": make_user("province", Role.PROVINCE),
        "expert": make_user("expert", Role.EXPERT),
        "system_admin": make_user("sysadmin", Role.SYSTEM_ADMIN),
        "security_admin": make_user("secadmin", Role.SECURITY_ADMIN),
        "audit_admin": make_user("auditadmin", Role.AUDIT_ADMIN),
    }


# Django's live server also serves MEDIA_URL, which we leave unset on purpose (materials are
# served only by permission-checked views); with None its media handler crashes on every request.
# It must serve nothing, here as in production.
from django.test import testcases as _testcases  # noqa: E402

_testcases._MediaFilesHandler._should_handle = lambda self, path: False
