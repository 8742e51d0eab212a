from django.apps import AppConfig


class CoreConfig(AppConfig):
    verbose_name = "平台"
    name = "duixian.core"
    label = "core"

    def ready(self):
        from duixian.core import checks  # noqa: F401  (registers the deploy checks)
