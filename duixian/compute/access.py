"""How the matrix builds the compute-subsidy URLs (see duixian.authz.access); who may open them
is the actions their views declare (duixian/compute/permissions.py): the province's pages
(everyone else 404); an organisation's own result."""

from __future__ import annotations

from datetime import date

from duixian.authz.access import UrlAccess
from duixian.authz.roles import Role


def _run(scope):
    """A succeeded, published run holding a result for the scope's organisation."""
    from duixian.compute.models import RunStatus, SubsidyResult, SubsidyRun
    from duixian.core import clock
    from duixian.policy.pack import default_pack

    now = clock.now()
    run = SubsidyRun.objects.create(status=RunStatus.SUCCEEDED, batch_id=default_pack().batch_id, period_start=now, period_end=now.replace(year=now.year + 1),
                                    finished_at=now, published_at=now,
                                    objection_last_day=date(now.year + 1, 1, 1))
    org = scope.organisation
    result = SubsidyResult.objects.create(
        run=run, uscc=org.uscc, name=org.name, organisation=org, used=5, provided=0, net=5,
        excluded_outside_period=0, excluded_not_via_platform=0, excluded_outside_province=0,
        excluded_self_or_affiliate=0, excluded_business=0, eligible=True, reasons=[], subsidy_quantity=5,
        breakdown={"uscc": org.uscc, "months": [], "providers": [], "users": []},
    )
    return run, result


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
       b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _objection(scope):
    """An objection of the scope's organisation with a PNG attachment."""
    import io
    import uuid

    from django.core.files.storage import default_storage

    from duixian.compute.models import SubsidyObjection

    _run_, result = _run(scope)
    relative = default_storage.save(f"compute-objections/{uuid.uuid4().hex}.png", io.BytesIO(PNG))
    return SubsidyObjection.objects.create(result=result, created_by=scope.users[Role.APPLICANT], reason="矩阵异议",
                                           attachment=relative, attachment_name="证明.png",
                                           attachment_type="image/png")


def _job(scope):
    from duixian.compute.models import ComputeJob, JobKind, JobStatus

    return ComputeJob.objects.create(kind=JobKind.RUN, status=JobStatus.FAILED, created_by=scope.users[Role.PROVINCE],
                                     message="矩阵")


URL_ACCESS = [
    UrlAccess("compute:home"),
    UrlAccess("compute:upload", post_only=True),
    UrlAccess("compute:run_start", post_only=True),
    UrlAccess("compute:job", make=lambda scope: {"pk": _job(scope).pk}),
    UrlAccess("compute:run", make=lambda scope: {"pk": _run(scope)[0].pk}),
    UrlAccess("compute:run_publish", post_only=True, make=lambda scope: {"pk": _run(scope)[0].pk}),
    UrlAccess("compute:run_export", make=lambda scope: {"pk": _run(scope)[0].pk}),
    UrlAccess("compute:result", make=lambda scope: {"pk": _run(scope)[1].pk}),
    UrlAccess("compute:result_statement", make=lambda scope: {"pk": _run(scope)[1].pk}),
    UrlAccess("compute:objections"),
    UrlAccess("compute:objection_resolve", make=lambda scope: {"pk": _objection(scope).pk},
              note="GET shows the objection and the answer form; POST records the answer"),
    # The province and the organisation that objected (an attachment of another organisation: 404).
    UrlAccess("compute:objection_attachment",
              make=lambda scope: {"pk": _objection(scope).pk}),
    # The organisation's own result: no object in the URL, each applicant sees its own organisation's.
    UrlAccess("compute:mine"),
    UrlAccess("compute:mine_confirm", post_only=True),
    UrlAccess("compute:mine_object"),
    UrlAccess("compute:mine_statement", ok_statuses=(200, 404),
              note="404 when no published run holds the organisation's result"),
]
