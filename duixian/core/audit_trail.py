"""Core's own writes in the audit trail: the announcements, the demo clock, a rate-limit refusal.

The audit trail is the app ``duixian.audit``, which sits above core (it uses core's clock and
spreadsheets), so core does not import it: audit registers its writer here in
``AuditConfig.ready()``, and core calls :func:`audit_record` with the arguments of
``duixian.audit.services.audit_record``, in the caller's transaction as before. With no writer
registered the call raises instead of skipping: a write that must be audited never goes
unrecorded (the reason a signal, whose missing receiver drops rows silently, was refused;
docs/decisions/0002).
"""

from __future__ import annotations

from typing import Any, Callable

from django.core.exceptions import ImproperlyConfigured

_writer: Callable[..., Any] | None = None


def register_writer(writer: Callable[..., Any]) -> None:
    """Called once by ``AuditConfig.ready()`` with ``duixian.audit.services.audit_record``."""
    global _writer
    _writer = writer


def audit_record(action: str, **fields) -> Any:
    """Append one event to the audit trail (see ``duixian.audit.services.audit_record``)."""
    if _writer is None:
        raise ImproperlyConfigured(
            f"audit event {action!r} has no writer: duixian.audit registers one in AuditConfig.ready()")
    return _writer(action, **fields)
