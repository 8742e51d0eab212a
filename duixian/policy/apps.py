from django.apps import AppConfig


class PolicyConfig(AppConfig):
    """Policy packs, the rules engine and the policy calculator (政策自测)."""

    name = "duixian.policy"
    label = "policy"
    verbose_name = "政策包与规则引擎"

    def ready(self):
        from .active import connect_signals

        connect_signals()
