from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "duixian.guidance"
    label = "guidance"
    verbose_name = _("政策解读与问答")
