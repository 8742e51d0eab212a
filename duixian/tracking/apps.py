from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "duixian.tracking"
    label = "tracking"
    verbose_name = _("办理进度与服务评价")
