"""Demo data: organisations, one user per role, and the demo clock inside the 2026 window.

Idempotent: running it again keeps existing rows and the data users made. The demo password
exists only here; production accounts are created by the system administrator.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from duixian.accounts.models import User
from duixian.authz.roles import STAFF_ROLES, Role
from duixian.core import clock
from duixian.core.models import DemoClock
from duixian.orgs.models import OrgKind, OrgStatus, Organisation

DEMO_PASSWORD = "Demo#2026dx"


@dataclass(frozen=True)
class DemoOrg:
    uscc: str
    name: str
    kind: str
    region_code: str
    city_code: str
    agi_enterprise: bool
    address: str
    legal_representative: str
    contact_phone: str


# Fictional organisations, people, addresses and numbers: none is a real company or person, and
# no number is the platform's hotline or a government office's (those appear on every page).
DEMO_ORGS = [
    DemoOrg("91340100MA2RXH7Q95", "合肥星河智算科技有限公司", OrgKind.ENTERPRISE, "340100", "340100", True,
            "合肥市蜀山区星河路 66 号 智算大厦 12 层", "赵启明", "0551-65318807"),
    DemoOrg("91340200MA2N8K3L1T", "芜湖江城智能装备有限公司", OrgKind.ENTERPRISE, "340200", "340200", True,
            "芜湖市鸠江区江城大道 1208 号", "孙海燕", "0553-58216630"),
    DemoOrg("91340100MA8PUF5R27", "合肥庐州人工智能产业园运营有限公司", OrgKind.PARK_OPERATOR, "340100", "340100", False,
            "合肥市包河区庐州大道 399 号 产业园服务中心", "周国栋", "0551-63697712"),
]

# (username, role, full name, organisation uscc or None, city code, phone)
DEMO_USERS = [
    ("hefei_applicant", Role.APPLICANT, "张晓明", "91340100MA2RXH7Q95", "", "13705518826"),
    ("wuhu_applicant", Role.APPLICANT, "李文静", "91340200MA2N8K3L1T", "", "18955337102"),
    ("park_applicant", Role.APPLICANT, "王建国", "91340100MA8PUF5R27", "", "15155190463"),
    ("hefei_clerk", Role.CITY_CLERK, "合肥市科技局经办人", None, "340100", ""),
    ("wuhu_clerk", Role.CITY_CLERK, "芜湖市科技局经办人", None, "340200", ""),
    ("province", Role.PROVINCE, "省科技厅人工智能处", None, "", ""),
    ("expert", Role.EXPERT, "陈专家", None, "", ""),
    ("sysadmin", Role.SYSTEM_ADMIN, "系统管理员", None, "", ""),
    ("secadmin", Role.SECURITY_ADMIN, "安全管理员", None, "", ""),
    ("auditadmin", Role.AUDIT_ADMIN, "审计管理员", None, "", ""),
]


def _grant_demo_roles(staff) -> None:
    """Staff roles come from grants, as in production (三员分立): the administrators' as at
    installation, the business roles from the demo security administrator (audited)."""
    from duixian.accounts import services
    from duixian.authz.roles import ADMIN_ROLES

    for user, role, _city in staff:
        if role in ADMIN_ROLES and not user.role:
            services.administrator_grant(user, role)
    security_admin = next(user for user, role, _city in staff if role == Role.SECURITY_ADMIN)
    for user, role, city_code in staff:
        if role not in ADMIN_ROLES and not user.role:
            services.role_grant(user, role, by=security_admin, reason="演示数据：演示账号的角色", city_code=city_code)


@transaction.atomic
def load_demo() -> list[tuple[str, str]]:
    """Create what is missing; return (username, role label) for the printed login list."""
    # The demo clock first: what is created below is stamped with its time (20 April), like
    # everything the demo then does, not with today's real date.
    if not DemoClock.objects.exists() and clock.demo_enabled():
        clock.set_demo_time(clock.DEMO_START)
    orgs = {}
    for spec in DEMO_ORGS:
        org, _created = Organisation.objects.get_or_create(
            uscc=spec.uscc,
            defaults={
                "name": spec.name, "kind": spec.kind, "region_code": spec.region_code,
                # Pending until its 授权书 is uploaded and confirmed (orgs/demo.py, run with the applications).
                "city_code": spec.city_code, "in_anhui": True, "status": OrgStatus.PENDING,
                "independent_legal_person": True, "agi_enterprise": spec.agi_enterprise,
                "owns_ip": True, "credit_good": True, "major_violation": False,
                "address": spec.address, "legal_representative": spec.legal_representative,
                "contact_phone": spec.contact_phone,
            },
        )
        orgs[spec.uscc] = org
    logins = []
    staff = []
    for username, role, full_name, uscc, city_code, phone in DEMO_USERS:
        applicant = role == Role.APPLICANT
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"role": role if applicant else "", "full_name": full_name, "organisation": orgs.get(uscc),
                      "email": f"{username}@demo.duixian.local", "phone": phone},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if role in STAFF_ROLES:  # fixed demo TOTP secret; `duixian demo totp USERNAME` prints the code
            from duixian.accounts.otp import demo_totp_device

            demo_totp_device(user)
            staff.append((user, role, city_code))
        logins.append((username, Role(role).label))
    _grant_demo_roles(staff)
    from duixian.policy.services import pack_version_record_shipped

    pack_version_record_shipped()  # the shipped 2026 pack as version 2026.1 (once; issue 3)
    from duixian.applications.demo import load_demo_applications

    load_demo_applications()  # a few 合肥 applications, two of them recommended (issue 5)
    from duixian.compute.demo import load_demo_compute

    load_demo_compute()  # a metering sample imported once and a run with reasons (issue 8)
    return logins
