from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistriesConfig(AppConfig):
    name = "duixian.registries"
    label = "registries"
    verbose_name = _("不重复支持、信用与园区登记册")

    def ready(self):
        from duixian.applications.policy_bridge import register_fact_overlay
        from duixian.registries.services import registry_overlay

        register_fact_overlay(registry_overlay)  # every verdict reads the registries (issue 11)
