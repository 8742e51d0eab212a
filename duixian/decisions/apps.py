from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "duixian.decisions"
    label = "decisions"
    verbose_name = _("省级评审、决定、公示与拨付")
