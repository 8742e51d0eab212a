from django.apps import AppConfig


class CoreConfig(AppConfig):
    verbose_name = "平台"
    name = "duixian.core"
    label = "core"
