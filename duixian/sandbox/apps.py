from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "duixian.sandbox"
    label = "sandbox"
    verbose_name = "政策沙盘"
