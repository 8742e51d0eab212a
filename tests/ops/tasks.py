"""Tasks used by the lease tests (run by a real `duixian worker` subprocess)."""

import time
from pathlib import Path

from django_tasks import task

from duixian.ops.progress import task_progress


@task(takes_context=True)
def stubborn(context, marker_dir: str, hang_on_attempt: int = 1, seconds: float = 120.0):
    """Notes each attempt in `marker_dir`; the given attempt hangs (so its worker can be killed)."""
    attempt = context.attempt
    Path(marker_dir, f"started-{attempt}").write_text(context.task_result.worker_ids[-1])
    task_progress(context.task_result.id, 1, 2, f"第 {attempt} 次执行")
    if attempt == hang_on_attempt:
        time.sleep(seconds)
    task_progress(context.task_result.id, 2, 2, "完成")
    return {"attempt": attempt}
