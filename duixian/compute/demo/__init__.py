"""Demo compute data: a small metering sample (metering-2026-sample.csv) imported once, and a
run over it, so that `make run` shows every organisation's compute subsidy with its reasons.

The sample involves the demo organisations (合肥 91340100MA2RXH7Q95, 芜湖 91340200MA2N8K3L1T,
the 合肥 park operator) and some unregistered ones, and covers each excluded bucket and both
period boundaries (2025-08-16T00:00+08:00 in, 2026-04-16T00:00+08:00 out). The run is left
unpublished: reviewing and publishing it is the province's step in the demo.
"""

from __future__ import annotations

from pathlib import Path

SAMPLE = Path(__file__).with_name("metering-2026-sample.csv")


def load_demo_compute() -> dict:
    """Import the sample (once, by its SHA-256) and compute a run when none has succeeded since.

    Idempotent: a second call imports nothing and computes nothing.
    """
    from duixian.compute.models import MeteringImport, RunStatus, SubsidyRun
    from duixian.compute.services import _sha256, metering_import, subsidy_run

    digest = _sha256(SAMPLE)
    imp = MeteringImport.objects.filter(sha256=digest).order_by("pk").first()
    imported = False
    if imp is None:
        imp = metering_import(SAMPLE, original_name=SAMPLE.name)
        imported = True
    run = SubsidyRun.objects.filter(status=RunStatus.SUCCEEDED).order_by("-created_at", "-id").first()
    ran = False
    if run is None or imported or (imp.stored and not run.imports.filter(pk=imp.pk).exists()):
        run = subsidy_run()
        ran = True
    return {"import": imp.pk, "run": run.pk, "imported": imported, "ran": ran}
