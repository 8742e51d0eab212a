"""Dates and times as a person reads them (issue 20): in the page's language, in Beijing time.

Chinese pages read "2026年4月20日 10:06", English pages "20 April 2026, 10:06": the format is
itself a translated string (docs/i18n.md), so the date follows the language the reader chose.
Text that is Chinese whatever the reader's language (a printed document, a notification or an
audit reason stored in Chinese) passes ``language="zh-hans"``.
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from duixian.core.clock import SHANGHAI


def _in(language: str | None, write):
    if language is None:
        return write()
    with translation.override(language):
        return write()


def moment_text(moment: dt.datetime, *, seconds: bool = False, language: str | None = None) -> str:
    """2026年5月5日 23:59 (zh-hans), 5 May 2026, 23:59 (en): the moment in Beijing time."""
    local = moment.astimezone(SHANGHAI) if timezone.is_aware(moment) else moment
    return _in(language, lambda: formats.date_format(
        local, gettext("Y年n月j日 H:i:s") if seconds else gettext("Y年n月j日 H:i")))


def day_text(day: dt.date, *, language: str | None = None) -> str:
    """2026年5月5日 (zh-hans), 5 May 2026 (en). A moment is taken on its Beijing calendar day."""
    if isinstance(day, dt.datetime) and timezone.is_aware(day):
        day = day.astimezone(SHANGHAI)
    return _in(language, lambda: formats.date_format(day, gettext("Y年n月j日")))
