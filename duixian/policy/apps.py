from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    """Policy packs, the rules engine and the policy calculator (政策自测)."""

    name = "duixian.policy"
    label = "policy"
    verbose_name = _("政策包与规则引擎")

    def ready(self):
        from duixian.core import batches

        from .active import batches as every, connect_signals, current_pack

        connect_signals()
        batches.register(current=current_pack, every=every)
