"""Background tasks for the province's compute pages: a metering import or a subsidy run.

The view records a ComputeJob and queues `compute_job_task`; the worker (`duixian worker`)
does the job and reports its steps through duixian.ops.progress for the page's progress bar.
"""

from __future__ import annotations

from django_tasks import task


@task(takes_context=True)
def compute_job_task(context, job_id: int) -> str:
    from .models import ComputeJob
    from .services import compute_job_execute

    compute_job_execute(job_id, task_id=context.task_result.id)
    return ComputeJob.objects.get(pk=job_id).status
