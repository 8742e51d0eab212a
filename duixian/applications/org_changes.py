"""What applications does when an organisation's profile changes (the orgs `profile_changed` signal).

A confirmed organisation that changes facts the rules read: its city's clerks are told (in-app),
since what they confirmed and reviewed may no longer hold. Connected in ApplicationsConfig.ready(),
so orgs never imports applications (docs/decisions/0002).
"""

from __future__ import annotations

from django.urls import reverse

from duixian.accounts.models import User
from duixian.authz.roles import Role
from duixian.applications.notifications import notify
from duixian.orgs.models import Organisation, OrgStatus
from duixian.orgs.services import FACT_WORDS, RULE_FACTS


def tell_clerks_of_changes(sender, *, organisation: Organisation, previous: dict, user=None, **kwargs) -> None:
    facts = [name for name in previous if name in RULE_FACTS]
    if organisation.status != OrgStatus.CONFIRMED or not facts:
        return
    org = organisation
    names = "、".join(str(FACT_WORDS.get(f, f)) for f in facts)
    for clerk in User.objects.filter(role=Role.CITY_CLERK, city_code=org.city_code, is_active=True):
        notify(clerk, "org.facts_changed", title=f"单位信息在确认后变更：{org.name}",
               body=f"{org.name}在归口管理部门确认后修改了：{names}。修改前后的内容见单位页面“确认后的信息变更”，请核对。",
               link=reverse("orgs:review", args=[org.pk]))
