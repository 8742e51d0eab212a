from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "duixian.review"
    label = "review"
    verbose_name = _("市级审核推荐")
