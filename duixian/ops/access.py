"""How the matrix builds the ops URLs (see duixian.authz.access); who may open them is the
actions their views declare (duixian/ops/permissions.py): /healthz is public; a task's progress
is its starter's, the province's and the system administrator's; the queues page is the
province's and the system administrator's."""

from __future__ import annotations

import uuid

from duixian.authz.access import UrlAccess
from duixian.authz.roles import Role


def _progress(scope):
    """A background task the scope's applicant started, half done."""
    from duixian.ops.progress import task_progress, task_progress_start

    task_id = uuid.uuid4()
    task_progress_start(task_id, user=scope.users[Role.APPLICANT], title="矩阵任务", total=10)
    task_progress(task_id, 5, 10, "已处理 5 批")
    return {"task_id": task_id}


URL_ACCESS = [
    UrlAccess("ops:healthz", public=True),
    UrlAccess("ops:task_progress", make=_progress, note="the starter sees their own task; the province and the system administrator "
                                   "watch every task (titles and counts, no application contents)"),
    UrlAccess("ops:queues", note="counts and times of the waiting submit presses and tasks, no application contents"),
]
