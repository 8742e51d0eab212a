"""Dashboard link to the reading help: for applicants to read, for the province to edit."""

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian.authz.roles import Role


def dashboard_links(user) -> list[dict]:
    if getattr(user, "role", None) == Role.PROVINCE:
        return [{"url": reverse("guidance:index"), "label": _("政策解读与常见问题")}]
    if getattr(user, "role", None) == Role.APPLICANT:
        return [{"url": reverse("guidance:index"), "label": _("政策解读与问答")}]
    return []
