from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "duixian.ops"
    label = "ops"
    verbose_name = "运维"
