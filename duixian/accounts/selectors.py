"""Reading accounts and the business roles a person holds (their own plus active grants)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from duixian.accounts.models import IdentityLink, RoleGrant, User


def business_roles(user) -> set[tuple[str, str]]:
    """(role, city_code) pairs the person may act as: the role of their active grant (one per
    account), which `User.role`/`city_code` hold; none once the grant has expired."""
    if not getattr(user, "is_authenticated", False) or not user.role or user.role_expired():
        return set()
    return {(user.role, user.city_code or "")}


def has_business_role(user, role: str, city_code: str | None = None) -> bool:
    return any(r == role and (city_code is None or c == city_code) for r, c in business_roles(user))


def accounts_without_role() -> QuerySet[User]:
    """Active accounts the system administrator created and nobody has granted a role yet."""
    return User.objects.filter(role="", is_active=True).order_by("-date_joined")


def users_search(q: str = "", role: str = "") -> QuerySet[User]:
    users = User.objects.select_related("organisation").order_by("role", "username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(organisation__name__icontains=q))
    if role:
        users = users.filter(role=role)
    return users


def grants_list() -> QuerySet[RoleGrant]:
    return RoleGrant.objects.select_related("user", "granted_by", "revoked_by")


def identity_links(user) -> QuerySet[IdentityLink]:
    """The unified identities (统一身份认证) that sign in as this account, oldest first."""
    return IdentityLink.objects.filter(user=user).order_by("linked_at", "pk")
