"""Dashboard link to the organisation's 单位证照库."""

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian import authz


def dashboard_links(user) -> list[dict]:
    if not authz.check(user, "wallet.view"):
        return []
    return [{"url": reverse("wallet:list"), "label": _("单位证照库")}]
