from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComputeConfig(AppConfig):
    name = "duixian.compute"
    label = "compute"
    verbose_name = _("算力补助（免申即享）")
