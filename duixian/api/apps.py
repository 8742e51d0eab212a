from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "duixian.api"
    label = "api"
    verbose_name = "接口"
