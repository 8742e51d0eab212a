"""Reads about organisations: the facts the rules use, clerks' lists, contacts."""

from __future__ import annotations

from django.db.models import QuerySet

from duixian.authz.roles import Role
from duixian.codes import divisions
from duixian.orgs.models import (
    OPERATOR_PRIOR_SUPPORT,
    AuthorityLetter,
    FactChange,
    OrgKind,
    OrgMembership,
    OrgStatus,
    Organisation,
)

def city_contact(city_code: str | None) -> dict:
    """The 归口管理部门 of a city as {"name", "phone"} from the pack's 附件1; the province's when no city."""
    from duixian.policy.active import current_pack

    contacts = current_pack().contacts
    city = divisions.city_by_code(city_code) if city_code else None
    entry = contacts.city(city.code) if city else None
    if entry is None:
        return {"name": contacts.province.name, "phone": contacts.province.phone}
    return {"name": f"{entry.city}科技局", "phone": entry.phone}


def city_name(city_code: str | None) -> str:
    city = divisions.city_by_code(city_code) if city_code else None
    return city.name if city else ""


def organisation_by_uscc(uscc: str) -> Organisation | None:
    return Organisation.objects.filter(uscc=uscc).first()


def registered_in_anhui(org: Organisation) -> bool | None:
    """Anhui registration as the platform knows it.

    A code registered in Anhui says so; one registered outside does not (unless the city clerk
    confirmed a move into the province, for clause 四); a centrally registered code (100000)
    counts once the clerk of the chosen city has confirmed the organisation; else unknown.
    """
    if org.in_anhui is True:
        return True
    confirmed = org.status == OrgStatus.CONFIRMED and bool(org.city_code)
    if org.in_anhui is False:
        return True if confirmed else False
    return True if confirmed else None


def organisation_facts(org: Organisation) -> dict:
    """The organisation's facts in the CONTRACTS §2 vocabulary, as a nested dict.

    Unknown (never stated) facts are left out, so the rules engine marks their rules unknown.
    Park operators also get ``operator.prior_support``; the scene's prior support is a
    project fact and stays with the application (the stated list is in ``org_prior_support``).
    """
    org_facts: dict = {"kind": org.kind}
    if org.uscc:
        org_facts["uscc"] = org.uscc
    for name in ("independent_legal_person", "owns_ip", "credit_good", "major_violation", "agi_enterprise"):
        value = getattr(org, name)
        if value is not None:
            org_facts[name] = value
    in_anhui = registered_in_anhui(org)
    if in_anhui is not None:
        org_facts["registered_in_anhui"] = in_anhui
    facts: dict = {"org": org_facts}
    if org.kind == OrgKind.PARK_OPERATOR:
        facts["operator"] = {"prior_support": [v for v in org.prior_support if v in OPERATOR_PRIOR_SUPPORT]}
    return facts


def org_prior_support(org: Organisation) -> list[str]:
    return list(org.prior_support or [])


def current_letter(org: Organisation) -> AuthorityLetter | None:
    return org.authority_letters.order_by("-uploaded_at", "-pk").first()


def organisations_awaiting_confirmation(city_code: str) -> QuerySet[Organisation]:
    """A city's organisations waiting for the clerk: pending, with a 授权书 uploaded, oldest first."""
    return (
        Organisation.objects.in_city(city_code)
        .filter(status=OrgStatus.PENDING, authority_letters__status="pending")
        .distinct()
        .order_by("created_at")
    )


def organisations_without_letter(city_code: str) -> QuerySet[Organisation]:
    return (
        Organisation.objects.in_city(city_code)
        .filter(status=OrgStatus.PENDING)
        .exclude(authority_letters__status="pending")
        .order_by("created_at")
    )


def organisations_visible_to(user) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if user.role == Role.PROVINCE:
        return Organisation.objects.all()
    if user.role == Role.CITY_CLERK:
        return Organisation.objects.in_city(user.city_code)
    if user.role == Role.APPLICANT and user.organisation_id:
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def organisation_members(org: Organisation) -> list[dict]:
    """Every account of the organisation with its role inside it (active ones first)."""
    from duixian.orgs.permissions import member_role

    rows = []
    memberships = {m.user_id: m for m in OrgMembership.objects.filter(organisation=org)}
    for user in org.members.order_by("-is_active", "date_joined"):
        membership = memberships.get(user.pk)
        role = member_role(user) if membership is None else membership.role
        active = user.is_active and (membership is None or membership.active)
        rows.append({"user": user, "membership": membership, "role": role, "active": active})
    return rows


def fact_history(org: Organisation) -> QuerySet[FactChange]:
    return org.fact_changes.select_related("stated_by")


def profile_fixes(reasons) -> list[tuple[str, str, str]]:
    """For each compute-subsidy reason the organisation can fix itself: (reason, link, what to do).

    The reasons are the engine's words (duixian.compute.engine.eligibility); a reason that only
    the province can settle (e.g. another kind of organisation under 三（二）"等") links to the
    kind, which the organisation may correct if it was stated wrongly."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    profile = reverse("orgs:profile")
    fixes = (
        ("独立法人资格", profile + "#field-independent_legal_person", _("在“单位信息”中填写是否具有独立法人资格")),
        ("通用人工智能企业", profile + "#field-agi_enterprise", _("在“单位信息”中填写是否属于通用人工智能企业")),
        ("单位类型为", profile + "#field-kind", _("在“单位信息”中核对单位类型")),
        ("在皖登记注册尚未确认", reverse("orgs:mine"), _("在本单位页面选择所在地市，由所属地市科技局确认")),
    )
    out = []
    for reason in reasons or ():
        for words, url, text in fixes:
            if words in str(reason):
                out.append((str(reason), url, text))
                break
    return out
