from django.apps import AppConfig


class ComputeConfig(AppConfig):
    name = "duixian.compute"
    label = "compute"
    verbose_name = "算力补助（免申即享）"
