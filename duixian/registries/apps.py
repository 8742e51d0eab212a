from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistriesConfig(AppConfig):
    name = "duixian.registries"
    label = "registries"
    verbose_name = _("不重复支持、信用与园区登记册")
