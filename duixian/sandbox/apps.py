from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxConfig(AppConfig):
    name = "duixian.sandbox"
    label = "sandbox"
    verbose_name = _("政策沙盘")
