"""Make writing one action's audit row fail (the database refusing the insert), for the tests
that a change and its audit row commit together or not at all."""

from duixian.audit.models import AuditEvent


class AuditDown(RuntimeError):
    pass


def audit_insert_fails(monkeypatch, action: str) -> None:
    real = AuditEvent.save

    def save(event, *args, **kwargs):
        if event.action == action:
            raise AuditDown(f"cannot write {action}")
        return real(event, *args, **kwargs)

    monkeypatch.setattr(AuditEvent, "save", save)
