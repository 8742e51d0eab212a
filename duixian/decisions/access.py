"""How the matrix builds the province's and the experts' pages and the public 公示 (see
duixian.authz.access); who may open them is the actions their views declare
(duixian/decisions/permissions.py): province pages are the province's alone; an expert sees only
the assignments made to them (and their materials); the 公示 pages are public (anyone) and show
only what was frozen, masked, at publication.
"""

from __future__ import annotations

import itertools

from duixian.authz.access import UrlAccess
from duixian.authz.roles import Role
from duixian.applications.access import recommended, submitted

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"
_numbers = itertools.count(1)


def assignment(scope):
    """A recommended application of the scope assigned, through a panel, to the scope's expert."""
    from duixian.decisions.services import assignment_create, panel_create

    province, expert = scope.users[Role.PROVINCE], scope.users[Role.EXPERT]
    app = recommended(scope)
    panel = panel_create(batch_id=app.batch_id, clause=app.clause, name=f"矩阵专家组{next(_numbers)}", members=[expert],
                         user=province)
    return assignment_create(application=app, expert=expert, panel=panel, user=province)


def publication(scope):
    """An approved application of the scope, published today for five working days."""
    from duixian.decisions.services import decision_approve, publication_create

    province = scope.users[Role.PROVINCE]
    app = recommended(scope)
    decision_approve(app, amount="20", user=province, without_panel_reason="矩阵测试：不经专家评分")
    return publication_create(applications=[app], working_days=5, title=f"矩阵公示{next(_numbers)}",
                              contact="省科技厅 0551-62626995", user=province)


def objection(scope):
    """A member of the public's objection to the scope's publication, with a PDF attached."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from duixian.decisions.services import objection_submit

    pub = publication(scope)
    return objection_submit(publication=pub, item=pub.items.first(), name="王小明", phone="13912346594",
                            body="矩阵测试异议：该项目场景尚未投入使用。",
                            files=[SimpleUploadedFile("证据.pdf", PDF, content_type="application/pdf")])


def _expert_material(scope):
    found = assignment(scope)
    return {"pk": found.pk, "material_id": found.application.materials.order_by("pk").first().pk}


def _app(scope):
    return {"pk": submitted(scope).pk}


def _recommended(scope):
    return {"pk": recommended(scope).pk}


URL_ACCESS = [
    UrlAccess("decisions:dashboard"),
    UrlAccess("decisions:receipt", make=lambda scope: {"city_code": scope.city_code}),
    UrlAccess("decisions:review"),
    UrlAccess("decisions:list"),
    UrlAccess("decisions:batch", post_only=True),
    UrlAccess("decisions:application", make=_app),
    UrlAccess("decisions:assign", post_only=True, make=_recommended),
    UrlAccess("decisions:approve", post_only=True, make=_recommended),
    UrlAccess("decisions:reject", post_only=True, make=_recommended),
    UrlAccess("decisions:funding", post_only=True, make=_recommended),
    UrlAccess("decisions:publications"),
    UrlAccess("decisions:publication", make=lambda scope: {"pk": publication(scope).pk}),
    UrlAccess("decisions:objection_answer", post_only=True,
              make=lambda scope: {"pk": objection(scope).pk}),
    UrlAccess("decisions:objection_attachment",
              make=lambda scope: {"pk": objection(scope).attachments.first().pk}),
    UrlAccess("decisions:expert_home"),
    UrlAccess("decisions:expert_assignment", make=lambda scope: {"pk": assignment(scope).pk}),
    UrlAccess("decisions:expert_material", make=_expert_material),
    UrlAccess("decisions:expert_material_preview", make=_expert_material),
    # The public 公示 (duixian/decisions/public_urls.py): anyone, signed in or not.
    UrlAccess("public:publications", public=True),
    UrlAccess("public:publication", public=True, make=lambda scope: {"pk": publication(scope).pk}),
    UrlAccess("public:publication_xlsx", public=True,
              make=lambda scope: {"pk": publication(scope).pk}),
    UrlAccess("public:objection", public=True, make=lambda scope: {"pk": publication(scope).pk}),
    UrlAccess("public:objection_done", public=True, ok_statuses=(404,),
              make=lambda scope: {"pk": publication(scope).pk},
              note="shows only the reference of an objection this visitor's own session just sent; else 404"),
    UrlAccess("public:objection_lookup", public=True,
              note="by 受理编号: the outcome and the province's reason, never the submitter's name, phone or files"),
]
