"""One `notify(...)` call: an in-app notification, and an email when a mail server is configured.

Recipients are a user or an organisation (every member sees the organisation's notifications).
The in-app rows are written in the caller's transaction; email goes out after commit, so a
rolled-back transition never mails anyone.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop

from duixian.applications.models import Application, Notification, StateChange
from duixian.orgs.models import Organisation

log = logging.getLogger(__name__)
_HAN = re.compile(r"[\u3400-\u9fff]")


def email_configured() -> bool:
    host = getattr(settings, "EMAIL_HOST", "") or ""
    return bool(host) and host != "localhost"


def notify(recipient, event: str, *, title: str, body: str = "", link: str = "", application=None) -> Notification:
    is_org = isinstance(recipient, Organisation)
    note = Notification.objects.create(
        user=None if is_org else recipient, organisation=recipient if is_org else None,
        event=event, title=fitted_title(title), body=body, link=link, application=application,
    )
    _mail_after_commit(recipient, event, title, body, link)
    return note


def notify_organisations(event: str, notes: list[tuple[Organisation, str, str, str, Application | None]]) -> None:
    """`notify` to many organisations at once, each (organisation, title, body, link, application):
    the rows in one INSERT (the deadline reminders tell thousands of drafts within a minute)."""
    Notification.objects.bulk_create([
        Notification(organisation=org, event=event, title=fitted_title(title), body=body, link=link, application=application)
        for org, title, body, link, application in notes])
    if not email_configured():
        return
    members: dict[int, list[str]] = {}  # an organisation's addresses, read once for all its drafts
    for org, title, body, link, _application in notes:
        if org.pk not in members:
            members[org.pk] = _addresses(org)
        _mail_after_commit(org, event, title, body, link, addresses=members[org.pk])


def fitted_title(title: str) -> str:
    """The title as the column holds it: the wording's words and a project name (the form takes 200
    characters) can be longer, which PostgreSQL refused, rolling back the submission or decision
    that sent it. Cut with an ellipsis; the mail keeps the whole title."""
    limit = Notification._meta.get_field("title").max_length
    return title if len(title) <= limit else f"{title[:limit - 1]}…"


def _addresses(recipient) -> list[str]:
    """Where the email copy goes: the user, or every active member of the organisation."""
    if isinstance(recipient, Organisation):
        return [m.email for m in recipient.members.filter(is_active=True) if m.email]
    return [recipient.email] if getattr(recipient, "email", "") else []


def _mail_after_commit(recipient, event: str, title: str, body: str, link: str, *,
                       addresses: list[str] | None = None) -> None:
    """The email copy, once the caller's transaction commits, when a mail server is configured."""
    if not email_configured():
        return
    addresses = _addresses(recipient) if addresses is None else addresses
    if addresses:
        def _send():
            try:
                send_mail(f"【政策兑现平台】{title}", f"{body}\n\n{link}".strip(), None, addresses)
            except Exception:  # mail is a courtesy copy; the in-app notification stands
                log.exception("notification email failed: %s", event)

        transaction.on_commit(_send)


def notifications_for(user):
    query = Q(user=user)
    if getattr(user, "organisation_id", None):
        query |= Q(organisation_id=user.organisation_id)
    return Notification.objects.filter(query).select_related("application")


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


# The wording of each application notification, stored in Chinese for every reader and mailed;
# `shown` says it again in the reader's language.
_MESSAGES = {
    "submit": (gettext_noop("申报已提交：{name}"), gettext_noop("申报编号 {ref}。所属地市归口管理部门将在{deadline}前完成审核推荐。")),
    "resubmit": (gettext_noop("补正后已重新提交：{name}"), gettext_noop("申报编号 {ref}。归口管理部门将重新审核。")),
    "withdraw": (gettext_noop("申报已撤回：{name}"), gettext_noop("申报编号 {ref} 已撤回，不再参加本批次审核。")),
    "recommend": (gettext_noop("申报已获市级推荐：{name}"), gettext_noop("申报编号 {ref} 已由归口管理部门推荐至省科技厅。")),
    "return": (gettext_noop("申报被退回补正：{name}"), gettext_noop("请按逐项退回理由修改后，在{deadline}前重新提交。")),
    "not_recommend": (gettext_noop("申报未获市级推荐：{name}"), gettext_noop("理由：{reason}")),
    "expire": (gettext_noop("申报已逾期：{name}"), gettext_noop("市级审核推荐已截止，该申报未能在截止前完成审核或补正。")),
    "approve": (gettext_noop("申报已通过省级评审：{name}"), gettext_noop("申报编号 {ref}。结果将按规定公示。")),
    "reject": (gettext_noop("申报未通过省级评审：{name}"), gettext_noop("理由：{reason}")),
    "publish": (gettext_noop("申报结果已公示：{name}"), gettext_noop("申报编号 {ref}。")),
    "pay_part": (gettext_noop("兑现资金已部分拨付：{name}"), gettext_noop("申报编号 {ref}。{reason}")),
    "pay": (gettext_noop("兑现资金已确认拨付：{name}"), gettext_noop("申报编号 {ref}。")),
}


# Every wording `shown` can say again, by event: the application's own above, and those other apps
# register for the notifications they send (`register_wording`).
WORDINGS: dict[str, tuple[str, str]] = {f"application.{action}": wording for action, wording in _MESSAGES.items()}
# Values said again in the reader's language: {event: {placeholder: (notification, value as written) -> text}}.
REFRESH: dict[str, dict[str, Callable[[Notification, str], str]]] = {}


def register_wording(event: str, title: str, body: str, *,
                     refresh: dict[str, Callable[[Notification, str], str]] | None = None) -> tuple[str, str]:
    """Declare the Chinese wording (gettext_noop, with {placeholders}) of a notification event, so
    the notifications page can say it in the reader's language; `refresh` says a value again in
    that language (else a value is shown as written). Returns the wording for `worded`."""
    WORDINGS[event] = (title, body)
    REFRESH[event] = refresh or {}
    return title, body


def worded(wording: tuple[str, str], **values) -> tuple[str, str]:
    """(title, body) of a wording filled in, in Chinese: what is stored and mailed."""
    return wording[0].format(**values), wording[1].format(**values)


def shown(note: Notification) -> tuple[str, str]:
    """A notification's title and body in the reader's language.

    The row keeps the Chinese written for every reader (and mailed); an application's notification
    is matched against its wording above and said again in the active language with the same
    values (project name, reference and reason as written; the deadline written out again in the
    reader's language). Text that does not match, and every other kind of notification, is shown
    as stored."""
    template = WORDINGS.get(note.event)
    if template is None:
        return note.title, note.body
    if (translation.get_language() or "").lower().startswith("zh"):
        return note.title, note.body
    out = []
    for wording, stored in zip(template, (note.title, note.body)):
        values = _values(wording, stored)
        if values is None:
            return note.title, note.body
        if "deadline" in values and note.application is not None:
            values["deadline"] = _deadline_shown(note.application, values["deadline"])
        if "day" in values:
            values["day"] = _day_shown(values["day"])
        for key, again in REFRESH.get(note.event, {}).items():
            if key in values:
                values[key] = again(note, values[key])
        # The values are people's words (project name, reason): quoted as Chinese when they are.
        quoted = {k: format_html('<span lang="zh-Hans">{}</span>', v) if _HAN.search(v) else conditional_escape(v)
                  for k, v in values.items()}
        out.append(mark_safe(conditional_escape(gettext(wording)).format(**quoted)))
    return out[0], out[1]


def _deadline_shown(application: Application, written: str) -> str:
    from duixian.applications import policy_bridge

    try:
        moment = policy_bridge.application_pack(application).city_review_deadline
    except Exception:  # the pack is gone: show the date as it was written
        return written
    with translation.override("zh-hans"):
        if policy_bridge.format_moment(moment) != written:
            return written
    return date_format(timezone.localtime(moment), gettext("Y年n月j日 H:i"))


def _values(wording: str, text: str) -> dict | None:
    """The {placeholders} of a wording as they were filled in `text`, or None if it is not that wording."""
    parts = re.split(r"\{(\w+)\}", wording)
    pattern = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*?)" for i, p in enumerate(parts))
    found = re.fullmatch(pattern, text, re.S)
    return found.groupdict() if found else None


def _day_shown(written: str) -> str:
    """A day written 2026年6月20日, in the reader's language (as written if it is not a day)."""
    found = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", written)
    if found is None:
        return written
    try:
        day = datetime.date(*(int(n) for n in found.groups()))
    except ValueError:
        return written
    return date_format(day, gettext("Y年n月j日"))


def notify_transition(application: Application, change: StateChange) -> None:
    """Tell the applicant's organisation what happened to its application."""
    from duixian.applications import policy_bridge

    template = _MESSAGES.get(change.action)
    if template is None:
        return
    try:
        deadline = policy_bridge.format_moment(policy_bridge.application_pack(application).city_review_deadline,
                                               language="zh-hans")  # the stored message is Chinese
    except Exception:
        deadline = "市级审核推荐截止时间"
    values = {"name": application.project_name, "ref": application.reference or "", "reason": change.reason,
              "deadline": deadline}
    title, body = (part.format(**values) for part in template)  # Chinese, for every reader (see `shown`)
    notify(application.organisation, f"application.{change.action}", title=title, body=body,
           link=reverse("applications:status", args=[application.pk]), application=application)
