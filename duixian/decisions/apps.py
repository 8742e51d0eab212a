from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "duixian.decisions"
    label = "decisions"
    verbose_name = "省级评审、决定、公示与拨付"
