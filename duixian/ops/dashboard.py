"""Dashboard link to the background queues (submission checks and background tasks)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from duixian import authz


def dashboard_links(user) -> list[dict]:
    if authz.check(user, "ops.queues"):
        return [{"url": reverse("ops:queues"), "label": _("后台队列（提交核验与后台任务）")}]
    return []
