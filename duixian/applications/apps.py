from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "duixian.applications"
    label = "applications"
    verbose_name = _("兑现申报")

    def ready(self):
        from duixian.core import clock_sweeps
        from duixian.applications.reminders import reminders_after_clock_move

        clock_sweeps.register(reminders_after_clock_move)
