from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "duixian.applications"
    label = "applications"
    verbose_name = "兑现申报"
