"""One `notify(...)` call: an in-app notification, and an email when a mail server is configured.

Recipients are a user or an organisation (every member sees the organisation's notifications).
The in-app rows are written in the caller's transaction; email goes out after commit, so a
rolled-back transition never mails anyone.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from duixian.applications.models import Application, Notification, StateChange
from duixian.orgs.models import Organisation

log = logging.getLogger(__name__)


def email_configured() -> bool:
    host = getattr(settings, "EMAIL_HOST", "") or ""
    return bool(host) and host != "localhost"


def notify(recipient, event: str, *, title: str, body: str = "", link: str = "", application=None) -> Notification:
    is_org = isinstance(recipient, Organisation)
    note = Notification.objects.create(
        user=None if is_org else recipient, organisation=recipient if is_org else None,
        event=event, title=title, body=body, link=link, application=application,
    )
    if email_configured():
        if is_org:
            addresses = [m.email for m in recipient.members.filter(is_active=True) if m.email]
        else:
            addresses = [recipient.email] if getattr(recipient, "email", "") else []
        if addresses:
            def _send():
                try:
                    send_mail(f"【政策兑现平台】{title}", f"{body}\n\n{link}".strip(), None, addresses)
                except Exception:  # mail is a courtesy copy; the in-app notification stands
                    log.exception("notification email failed: %s", event)

            transaction.on_commit(_send)
    return note


def notifications_for(user):
    query = Q(user=user)
    if getattr(user, "organisation_id", None):
        query |= Q(organisation_id=user.organisation_id)
    return Notification.objects.filter(query)


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


_MESSAGES = {
    "submit": ("申报已提交：{name}", "申报编号 {ref}。所属地市归口管理部门将在{deadline}前完成审核推荐。"),
    "resubmit": ("补正后已重新提交：{name}", "申报编号 {ref}。归口管理部门将重新审核。"),
    "withdraw": ("申报已撤回：{name}", "申报编号 {ref} 已撤回，不再参加本批次审核。"),
    "recommend": ("申报已获市级推荐：{name}", "申报编号 {ref} 已由归口管理部门推荐至省科技厅。"),
    "return": ("申报被退回补正：{name}", "请按逐项退回理由修改后，在{deadline}前重新提交。"),
    "not_recommend": ("申报未获市级推荐：{name}", "理由：{reason}"),
    "expire": ("申报已逾期：{name}", "市级审核推荐已截止，该申报未能在截止前完成审核或补正。"),
    "approve": ("申报已通过省级评审：{name}", "申报编号 {ref}。结果将按规定公示。"),
    "reject": ("申报未通过省级评审：{name}", "理由：{reason}"),
    "publish": ("申报结果已公示：{name}", "申报编号 {ref}。"),
    "pay_part": ("兑现资金已部分拨付：{name}", "申报编号 {ref}。{reason}"),
    "pay": ("兑现资金已确认拨付：{name}", "申报编号 {ref}。"),
}


def notify_transition(application: Application, change: StateChange) -> None:
    """Tell the applicant's organisation what happened to its application."""
    from duixian.applications import policy_bridge

    template = _MESSAGES.get(change.action)
    if template is None:
        return
    try:
        deadline = policy_bridge.format_moment(policy_bridge.application_pack(application).city_review_deadline)
    except Exception:
        deadline = "市级审核推荐截止时间"
    values = {"name": application.project_name, "ref": application.reference or "", "reason": change.reason,
              "deadline": deadline}
    title, body = (part.format(**values) for part in template)
    notify(application.organisation, f"application.{change.action}", title=title, body=body,
           link=reverse("applications:status", args=[application.pk]), application=application)
