from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "duixian.matching"
    label = "matching"
    verbose_name = _("政策匹配")

    def ready(self):
        from duixian.matching import push
        from duixian.orgs.signals import profile_changed

        profile_changed.connect(push.profile_changed, dispatch_uid="duixian.matching.profile_changed")
