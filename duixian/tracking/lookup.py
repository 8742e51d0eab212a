"""The public status of an application, for anyone holding its 受理编号 and its organisation's
统一社会信用代码, without logging in.

The answer is built here from public facts only, so the page cannot show what it was never
given: no contact person or phone, no answers or materials, no reasons, and an amount only
once the 公示 has published it. A reference that does not exist and a code that does not
match give the same None from the same single query, so the lookup confirms nothing about
either half alone. Every lookup is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from duixian.applications.models import Application
from duixian.audit.services import audit_record
from duixian.codes.uscc import normalize_uscc
from duixian.tracking.progress import Stage, application_stages


@dataclass(frozen=True)
class PublicStatus:
    reference: str
    organisation_name: str
    project_name: str
    clause_label: str
    state_label: str
    first_submitted_at: datetime | None
    stages: list[Stage]
    published_amount_wan: Decimal | None  # as the 公示 published it
    publication_id: int | None


def normalise_reference(text: str) -> str:
    """As typed with a Chinese input method (ＤＸ２０２６－…) or pasted with invisible characters:
    the same normalisation as the code's (NFKC, format characters dropped, upper case)."""
    return normalize_uscc(text or "")


def normalise_uscc(text: str) -> str:
    return normalize_uscc(text or "")


def status_lookup(reference: str, uscc: str, *, request=None) -> PublicStatus | None:
    reference, uscc = normalise_reference(reference), normalise_uscc(uscc)
    app = (Application.objects.select_related("organisation")
           .filter(reference=reference, organisation__uscc=uscc).first()
           if reference and uscc else None)
    audit_record("tracking.status_lookup", request=request, username="public",
                 object_type="applications.application", object_id=app.pk if app else "",
                 outcome="success" if app else "failure", detail={"reference": reference[:32]})
    if app is None:
        return None
    from duixian.decisions.models import PublicationItem

    item = PublicationItem.objects.filter(application=app).first()
    return PublicStatus(
        reference=app.reference, organisation_name=app.organisation.name, project_name=app.project_name,
        clause_label=str(app.clause_label), state_label=str(app.state_label),
        first_submitted_at=app.first_submitted_at, stages=application_stages(app),
        published_amount_wan=item.amount_wan if item else None,
        publication_id=item.publication_id if item else None)
