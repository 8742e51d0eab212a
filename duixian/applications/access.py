"""How the matrix builds the applicant pages' URLs (see duixian.authz.access for the format).

Who may open them is the actions their views declare (duixian/applications/permissions.py).
The builders below are shared by the other apps' access.py.
"""

from __future__ import annotations

import itertools

from duixian.authz.access import UrlAccess
from duixian.authz.roles import Role

_numbers = itertools.count(1)


def _first_choice_key() -> str:
    """The default pack's first way to apply (a clause, or a clause's application type)."""
    from duixian.applications import policy_bridge

    return policy_bridge.clause_choices()[0].key


def draft(scope):
    """A draft of the scope's organisation under the default pack's first clause that takes
    applications (the clock must be inside the window)."""
    from duixian.applications import policy_bridge
    from duixian.applications.services import application_create

    return application_create(user=scope.users[Role.APPLICANT], clause=policy_bridge.clause_choices()[0].clause,
                              project_name=f"矩阵草稿项目{next(_numbers)}")


def submitted(scope):
    """A complete clause-2 application of the scope's organisation, submitted (with materials)."""
    from tests.review.conftest import make_submitted

    return make_submitted(scope.users[Role.APPLICANT], f"矩阵申报项目{next(_numbers)}")


def recommended(scope):
    """A submitted application its city's clerk has recommended to the province."""
    from duixian.applications.workflow import application_transition

    return application_transition(submitted(scope), "recommend", scope.users[Role.CITY_CLERK])


def withdrawn(scope):
    """A submitted application its organisation has withdrawn."""
    from duixian.applications.services import application_withdraw

    return application_withdraw(submitted(scope), user=scope.users[Role.APPLICANT])


def _material(scope):
    app = submitted(scope)
    return {"pk": app.pk, "material_id": app.materials.order_by("pk").first().pk}


URL_ACCESS = [
    UrlAccess("applications:list", note="lists only applications_visible_to(user): none for experts and administrators "
                   "(the matrix's page check proves no other application is named)"),
    UrlAccess("applications:new"),
    UrlAccess("applications:notifications", note="each user's own notifications"),
    UrlAccess("applications:material_template", make=lambda scope: {"key": _first_choice_key()},
              note="the blank 申报材料 template of a clause: no application data"),
    UrlAccess("applications:detail", ok_statuses=(302,), make=lambda scope: {"pk": submitted(scope).pk},
              note="redirects to the task list (editable) or the status page"),
    UrlAccess("applications:tasks", make=lambda scope: {"pk": draft(scope).pk}),
    UrlAccess("applications:section", make=lambda scope: {"pk": draft(scope).pk, "key": "project"}),
    UrlAccess("applications:check", make=lambda scope: {"pk": draft(scope).pk}),
    UrlAccess("applications:material_upload", post_only=True,
              make=lambda scope: {"pk": draft(scope).pk, "slot": "application_form"}),
    UrlAccess("applications:materials", make=lambda scope: {"pk": submitted(scope).pk}),
    UrlAccess("applications:material_download", make=_material),
    UrlAccess("applications:material_preview", make=_material,
              note="the file inline (PDF, image) or a DOCX as escaped text"),
    UrlAccess("applications:confirmation", make=lambda scope: {"pk": submitted(scope).pk}),
    UrlAccess("applications:confirmation_poll", ok_statuses=(302,),
              make=lambda scope: {"pk": submitted(scope).pk},
              note="the confirmation page's HTMX poll while a press is checked; opened directly it leads to the page"),
    UrlAccess("applications:status", make=lambda scope: {"pk": submitted(scope).pk}),
    UrlAccess("applications:summary", make=lambda scope: {"pk": submitted(scope).pk}),
    UrlAccess("applications:withdraw", make=lambda scope: {"pk": submitted(scope).pk},
              note="GET asks for confirmation; only its 确认撤回 (POST confirm=yes) withdraws"),
    UrlAccess("applications:copy", post_only=True,
              make=lambda scope: {"pk": withdrawn(scope).pk},
              note="a withdrawn application copied into a new draft of the same organisation"),
]
