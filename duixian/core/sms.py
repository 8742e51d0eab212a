"""Text messages through a pluggable gateway: `send_sms(phone, text)`.

The gateway is the class named by the setting SMS_GATEWAY (a dotted path; default: the logging
gateway below, which only writes each message to the log "duixian.sms", for the demo and
development). A real one (a province's SMS platform, a cloud provider) is a class with the same
`send(phone, text)` method, raising an exception when the message was not accepted.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("duixian.sms")

DEFAULT_GATEWAY = "duixian.core.sms.LoggingGateway"


class Gateway(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LoggingGateway:
    """Sends nothing: logs the message (phone masked but for its last four digits)."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to ***%s: %s", phone[-4:], text)


def gateway() -> Gateway:
    return import_string(getattr(settings, "SMS_GATEWAY", DEFAULT_GATEWAY))()


def send_sms(phone: str, text: str) -> bool:
    """Send one message; False (logged) when the gateway refused it: a text is a courtesy copy."""
    try:
        gateway().send(phone, text)
    except Exception:
        log.exception("SMS to ***%s failed", phone[-4:])
        return False
    return True
