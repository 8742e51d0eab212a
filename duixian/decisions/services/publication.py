"""4. 公示: publishing approved applications with masked contacts, and its period."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from duixian.applications import policy_bridge
from duixian.applications.models import ApplicationState as S
from duixian.applications.workflow import TransitionError, application_transition
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.core.workdays import add_working_days
from duixian.decisions.masking import mask_contact
from duixian.decisions.models import DecisionOutcome, Publication, PublicationItem
from duixian.decisions.services.base import DecisionError, fmt_day, require_province
from duixian.codes import divisions


def publication_window(moment: dt.datetime, working_days: int) -> tuple[dt.date, dt.datetime]:
    """(last day, exclusive end): day 1 is the publication day if it is a working day."""
    start = moment.astimezone(clock.SHANGHAI).date()
    last = add_working_days(start, working_days)
    nxt = last + dt.timedelta(days=1)
    return last, dt.datetime(nxt.year, nxt.month, nxt.day, tzinfo=clock.SHANGHAI)


def publication_create(*, applications, working_days: int, title: str, contact: str = "", user,
                       request=None) -> Publication:
    """Publish approved applications of one batch: each moves to 已公示; the rows are frozen with
    masked contacts."""
    require_province(user)
    applications = list(applications)
    if not applications:
        raise DecisionError(_("请至少选择一个评审通过的申报进行公示。"), "applications")
    if len({app.batch_id for app in applications}) > 1:
        raise DecisionError(_("一次公示只能包含同一批次的申报，请按批次分别公示。"), "applications")
    if not 1 <= int(working_days) <= 30:
        raise DecisionError(_("公示期须为 1 至 30 个工作日。"), "working_days")
    title = (title or "").strip()
    if not title:
        raise DecisionError(_("请填写公示标题。"), "title")
    moment = clock.now()
    last_day, ends_at = publication_window(moment, int(working_days))
    with transaction.atomic():
        publication = Publication.objects.create(
            title=title, batch_id=applications[0].batch_id, published_at=moment, working_days=int(working_days),
            last_day=last_day, ends_at=ends_at,
            contact=(contact or "").strip(), published_by=user,
        )
        for number, app in enumerate(sorted(applications, key=lambda a: (int(a.clause), a.city_code, a.pk)), 1):
            app.refresh_from_db()
            decision = getattr(app, "decision", None)
            if app.state != S.APPROVED or decision is None or decision.outcome != DecisionOutcome.APPROVED:
                raise DecisionError(_("“%(project)s”当前状态为“%(state)s”，只有评审通过的申报可以公示。") % {
                    "project": app.project_name, "state": app.state_label})
            try:
                application_transition(app, "publish", user, request=request, expected_state=S.APPROVED,
                                       reason=f"{title}（公示期至{fmt_day(last_day, language='zh-hans')}）")
            except TransitionError as exc:
                raise DecisionError(exc.message) from None
            city = divisions.city_by_code(app.city_code)
            PublicationItem.objects.create(
                publication=publication, application=app, number=number, organisation_name=app.organisation.name,
                project_name=app.project_name,
                clause_cell=policy_bridge.clause_cell(app.clause, app.application_type, policy_bridge.application_pack(app)),
                city_name=getattr(city, "name", "") or "", amount_wan=decision.amount_wan,
                contact_masked=mask_contact(app.contact_name, app.contact_phone),
            )
        audit_record("decisions.publish", user=user, request=request, obj=publication, detail={
            "title": title, "batch_id": publication.batch_id, "working_days": int(working_days),
            "last_day": last_day.isoformat(),
            "ends_at": ends_at.isoformat(), "applications": [a.pk for a in applications],
        })
    return publication


def period_text(publication: Publication) -> str:
    start = publication.published_at.astimezone(clock.SHANGHAI).date()
    return _("%(start)s至%(last)s（%(days)s个工作日）") % {
        "start": fmt_day(start), "last": fmt_day(publication.last_day), "days": publication.working_days}
