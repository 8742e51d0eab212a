from django.apps import AppConfig


class RegistriesConfig(AppConfig):
    name = "duixian.registries"
    label = "registries"
    verbose_name = "不重复支持、信用与园区登记册"
