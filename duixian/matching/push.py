"""Telling an organisation what the matching found: when a batch opens, and when a change of its
profile makes a clause newly 可能符合.

- `batch_openings_send_due()` runs in every worker's housekeeping (duixian.ops.housekeeping):
  once the platform clock is inside a batch's application window, each organisation registered
  before the window opened (and not refused by its city) is told once, with its matches in that
  batch. A new organisation sees the open batches on its dashboard instead.
- `profile_changed` answers the orgs signal: the open batches are matched on the profile before
  and after the change; each clause that became 可能符合 is told once.

A MatchNotice row per organisation and batch (and clause) is the record that a message went out;
it is written before the messages, in the same transaction, and its unique constraint means two
workers never send the same one. Each active member is told on the channels they kept (站内消息,
email when a mail server is configured, a text through duixian.core.sms); every sending is audited.
"""

from __future__ import annotations

import copy
import logging

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from duixian.accounts.models import User
from duixian.applications.models import Notification
from duixian.applications.notifications import email_configured, fitted_title
from duixian.applications.policy_bridge import format_moment
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.core.sms import send_sms
from duixian.orgs.models import Organisation, OrgStatus
from duixian.policy.active import open_batches
from duixian.policy.pack import Pack

from .match import NEEDS_INFO, POSSIBLE, ClauseMatch, match
from .models import MatchEvent, MatchNotice
from .profile import earlier_answers, profile_facts
from .selectors import channel_preference

log = logging.getLogger(__name__)


def deliver(org: Organisation, event: str, *, title: str, body: str, link: str) -> dict:
    """Tell each active member on the channels they kept; how many were told on each."""
    counts = {"in_app": 0, "email": 0, "sms": 0}
    mail = email_configured()
    for member in User.objects.filter(organisation=org, is_active=True).order_by("pk"):
        channels = channel_preference(member)
        if channels.in_app:
            Notification.objects.create(user=member, event=event, title=fitted_title(title), body=body, link=link)
            counts["in_app"] += 1
        if channels.email and mail and member.email:
            address = member.email
            transaction.on_commit(lambda address=address: _mail(title, body, link, address))
            counts["email"] += 1
        if channels.sms and member.phone:
            phone = member.phone
            transaction.on_commit(lambda phone=phone: send_sms(phone, f"【政策兑现平台】{title}"))
            counts["sms"] += 1
    return counts


def _mail(title: str, body: str, link: str, address: str) -> None:
    try:
        send_mail(f"【政策兑现平台】{title}", f"{body}\n\n{link}".strip(), None, [address])
    except Exception:  # a courtesy copy: the in-app message stands
        log.exception("matching email failed")


def _summary(clauses: list[ClauseMatch]) -> str:
    possible = [c.name for c in clauses if c.standing == POSSIBLE]
    needs = [c.name for c in clauses if c.standing == NEEDS_INFO]
    parts = []
    if possible:
        parts.append(_("可能符合：%(names)s") % {"names": "、".join(possible)})
    if needs:
        parts.append(_("需补充信息：%(names)s") % {"names": "、".join(needs)})
    return "；".join(parts) or _("按目前的单位信息，暂无可能符合的条款")


def _record(org: Organisation, event: str, batch_id: str, clause: str, standings: dict) -> MatchNotice | None:
    """The notice's row, or None when it was already sent (by this or another worker)."""
    try:
        with transaction.atomic():
            return MatchNotice.objects.create(organisation=org, event=event, batch_id=batch_id, clause=clause,
                                              standings=standings)
    except IntegrityError:
        return None


def _orgs_to_tell(pack: Pack):
    told = MatchNotice.objects.filter(event=MatchEvent.BATCH_OPENED, batch_id=pack.batch_id).values("organisation_id")
    return (Organisation.objects.exclude(status=OrgStatus.REJECTED).filter(created_at__lt=pack.application_open)
            .exclude(pk__in=told).order_by("pk"))


def batch_openings_send_due() -> int:
    """Tell every organisation of each batch whose window is open now, once; how many were told."""
    sent = 0
    for pack in open_batches(clock.now()):
        sent += _tell_batch_opened(pack)
    return sent


def _tell_batch_opened(pack: Pack) -> int:
    sent = 0
    link = reverse("core:dashboard") + "#matches"
    for org in list(_orgs_to_tell(pack)):
        clauses = match(org, [pack]).clauses
        with transaction.atomic():
            notice = _record(org, MatchEvent.BATCH_OPENED, pack.batch_id, "",
                             {c.clause: c.standing for c in clauses})
            if notice is None:
                continue
            title = _("新批次开放申报：%(title)s") % {"title": pack.title}
            body = _("%(summary)s。申报截止：%(close)s。详见工作台“政策匹配”。") % {
                "summary": _summary(clauses), "close": format_moment(pack.application_close)}
            notice.delivered = deliver(org, "matching.batch_opened", title=title, body=body, link=link)
            notice.save(update_fields=["delivered"])
        sent += 1
    if sent:
        audit_record("matching.batch_opened.notify", username="system", object_type="policy.batch",
                     object_id=pack.batch_id, detail={"batch_id": pack.batch_id, "organisations": sent})
    return sent


def profile_changed(sender, *, organisation: Organisation, previous: dict, user=None, **kwargs) -> None:
    """Tell the organisation of each clause of an open batch its profile change made possible."""
    packs = open_batches(clock.now())
    if not packs or not previous:
        return
    before_org = copy.copy(organisation)
    for name, value in previous.items():
        setattr(before_org, name, value)
    earlier = earlier_answers(organisation)
    before = match(before_org, packs, profile=profile_facts(before_org, earlier=earlier)).possible_keys()
    after = match(organisation, packs, profile=profile_facts(organisation, earlier=earlier))
    link = reverse("core:dashboard") + "#matches"
    told = []
    for clause in after.clauses:
        if clause.standing != POSSIBLE or clause.key in before:
            continue
        notice = _record(organisation, MatchEvent.CLAUSE_POSSIBLE, clause.batch_id, clause.clause,
                         {clause.clause: clause.standing})
        if notice is None:
            continue
        title = _("单位信息变更后可能符合：%(name)s") % {"name": clause.name}
        body = _("按更新后的单位信息，您单位可能符合《%(batch)s》%(name)s，可以申报。") % {
            "batch": clause.batch_title, "name": clause.name}
        notice.delivered = deliver(organisation, "matching.clause_possible", title=title, body=body, link=link)
        notice.save(update_fields=["delivered"])
        told.append(f"{clause.batch_id}:{clause.clause}")
    if told:
        audit_record("matching.clause_possible.notify", user=user, obj=organisation,
                     detail={"clauses": told, "changed": sorted(previous)})
