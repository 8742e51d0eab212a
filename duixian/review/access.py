"""How the matrix builds the city review pages' URLs (see duixian.authz.access for the format).

Who may open them is the actions their views declare (duixian/review/permissions.py): only a
city's own clerk reviews its applications; the province sees the expired list.
"""

from __future__ import annotations

from duixian.authz.access import UrlAccess
from duixian.authz.roles import Role


def reviewable_application(scope):
    """An application of the scope's organisation that was submitted once (so its city sees it).

    Built directly for the matrix: only visibility matters here, so it stays in its default
    state and carries a first submission time; no workflow transition is faked.
    """
    import uuid

    from duixian.applications import policy_bridge
    from duixian.applications.models import Application
    from duixian.core import clock

    return Application.objects.create(  # a clause of the default pack that takes applications
        organisation=scope.organisation, city_code=scope.city_code, batch_id="matrix",
        clause=policy_bridge.clause_choices()[0].clause,
        project_name=f"矩阵测试项目-{uuid.uuid4().hex[:8]}", first_submitted_at=clock.now(),
        reference=f"DXM-{uuid.uuid4().hex[:12]}",
    )


def _application(scope) -> dict:
    return {"pk": reviewable_application(scope).pk}


def _material(scope) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from duixian.applications import policy_bridge
    from duixian.applications.materials import material_store

    app = reviewable_application(scope)
    slot = policy_bridge.material_slots(app.clause)[0].id
    pdf = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"
    material = material_store(app, slot, SimpleUploadedFile("m.pdf", pdf), user=scope.users[Role.APPLICANT])
    return {"pk": app.pk, "material_id": material.pk}


URL_ACCESS = [
    UrlAccess("review:worklist"),
    UrlAccess("review:contact", post_only=True),
    UrlAccess("review:batch_recommend", post_only=True,
              note="the ticked applications of the clerk's own city only (review.batch.candidates)"),
    UrlAccess("review:expired",
              note="a clerk sees its own city's expired applications, the province every city's"),
    UrlAccess("review:detail", make=_application),
    UrlAccess("review:checklist", post_only=True, make=_application),
    UrlAccess("review:act", post_only=True,
              make=lambda scope: {**_application(scope), "action": "recommend"}),
    UrlAccess("review:material_view", make=_material),
]
