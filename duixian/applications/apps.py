from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "duixian.applications"
    label = "applications"
    verbose_name = _("兑现申报")

    def ready(self):
        from duixian.applications.org_changes import tell_clerks_of_changes
        from duixian.applications.reminders import reminders_after_clock_move
        from duixian.core import clock_sweeps
        from duixian.orgs.signals import profile_changed

        clock_sweeps.register(reminders_after_clock_move)
        profile_changed.connect(tell_clerks_of_changes, dispatch_uid="duixian.applications.tell_clerks_of_changes")
