from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComputeConfig(AppConfig):
    name = "duixian.compute"
    label = "compute"
    verbose_name = _("算力补助（免申即享）")

    def ready(self):
        from duixian.api.v1 import api

        from .api import router

        api.add_router("/", router)  # POST /api/v1/metering (the API's docs list it after policy's)
