"""Dashboard link to the 好差评 ratings, for the province."""

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian import authz


def dashboard_links(user) -> list[dict]:
    if not authz.check(user, "tracking.ratings"):
        return []
    return [{"url": reverse("tracking:ratings"), "label": _("服务评价（好差评）")}]
