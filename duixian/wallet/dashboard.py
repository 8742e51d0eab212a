"""Dashboard link to the organisation's 单位证照库."""

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian.wallet.permissions import can_view_wallet


def dashboard_links(user) -> list[dict]:
    if not can_view_wallet(user, getattr(user, "organisation_id", None))[0]:
        return []
    return [{"url": reverse("wallet:list"), "label": _("单位证照库")}]
