from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "duixian.review"
    label = "review"
    verbose_name = _("市级审核推荐")

    def ready(self):
        from duixian.core import clock_sweeps
        from duixian.review.services import sweep_after_clock_move

        clock_sweeps.register(sweep_after_clock_move)
