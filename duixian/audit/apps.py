from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "duixian.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self):
        from duixian.audit import signals  # noqa: F401  (connects the login receivers)
        from duixian.audit import checks  # noqa: F401  (retention never below six months)
