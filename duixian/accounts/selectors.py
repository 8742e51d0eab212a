"""Reading accounts and the business roles a person holds (their own plus active grants)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from duixian.accounts.models import RoleGrant, User


def business_roles(user) -> set[tuple[str, str]]:
    """(role, city_code) pairs the person may act as: their own role and every active grant.

    Permission functions that let a role read application contents should ask
    `has_business_role(user, Role.PROVINCE)` (or with the city for clerks) rather than
    `user.role == ...`, so a grant by the security administrator counts.
    """
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = {(user.role, user.city_code or "")}
    roles |= set(RoleGrant.objects.active().filter(user=user).values_list("role", "city_code"))
    return roles


def has_business_role(user, role: str, city_code: str | None = None) -> bool:
    return any(r == role and (city_code is None or c == city_code) for r, c in business_roles(user))


def users_search(q: str = "", role: str = "") -> QuerySet[User]:
    users = User.objects.select_related("organisation").order_by("role", "username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(organisation__name__icontains=q))
    if role:
        users = users.filter(role=role)
    return users


def grants_list() -> QuerySet[RoleGrant]:
    return RoleGrant.objects.select_related("user", "granted_by", "revoked_by")
