from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "duixian.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self):
        from duixian.audit import signals  # noqa: F401  (connects the login receivers)
        from duixian.audit import checks  # noqa: F401  (retention never below six months)
        from duixian.audit.services import audit_record
        from duixian.core import audit_trail

        audit_trail.register_writer(audit_record)  # core's own writes (core sits below audit)
