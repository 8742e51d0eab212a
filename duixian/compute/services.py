"""Importing metering files and running the compute subsidy (writes; see selectors for reads).

An import is all-or-nothing and idempotent on ``record_id``: the file is validated in full,
records already imported with identical content are skipped, a record_id imported before with
different content refuses the whole file, and only the new records are stored, as typed Parquet
under MEDIA_ROOT/metering/. A run computes over every stored import and writes its results in
one transaction, so an interrupted run leaves the previous results in place.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from duixian.audit.services import audit_record

from .engine import (
    BUCKETS,
    OrgInfo,
    compute_subsidy,
    pack_parameters,
    validate_metering,
)
from .metering import COLUMNS, EngineSettings, MeteringError, Problem, _lit, connect
from .models import ImportSource, MeteringImport, RunStatus, SubsidyResult, SubsidyRun

STORE_DIR = "metering"


def _pack_parameters():
    from duixian.policy.active import current_pack

    return pack_parameters(current_pack())


def _sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _store_root() -> Path:
    root = Path(settings.MEDIA_ROOT) / STORE_DIR
    root.mkdir(parents=True, exist_ok=True)
    return root


@contextmanager
def _import_lock():
    """One import at a time (per MEDIA_ROOT): the check against earlier imports and the write
    of the new records must not interleave with another import's."""
    with open(_store_root() / ".import.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _content(alias: str = "") -> str:
    """A record's content (everything but its id), for comparing repeats across imports."""
    prefix = f"{alias}." if alias else ""
    return "struct_pack(" + ", ".join(prefix + c for c in COLUMNS if c != "record_id") + ")"


def metering_import(
    path: str | os.PathLike,
    *,
    source: str = ImportSource.COMMAND,
    user=None,
    machine_client=None,
    original_name: str = "",
    request=None,
    engine_settings: EngineSettings | None = None,
) -> MeteringImport:
    """Import one metering file (CSV or Parquet); raise MeteringError listing every bad line."""
    _period, units = _pack_parameters()
    digest = _sha256(path)
    name = original_name or Path(path).name
    who = {"user": user, "request": request,
           "username": f"接口客户端：{machine_client.name}" if machine_client else ""}
    with _import_lock():
        con, temp_dir = connect(engine_settings)
        target = None
        try:
            try:
                checked = validate_metering(con, path, units, temp_dir)
                already, new_filter = _against_earlier_imports(con)
            except MeteringError as exc:
                audit_record("metering.import", outcome="refused", object_type="compute.meteringimport",
                             detail={"file": name, "sha256": digest, "bad_lines": len(exc.lines()),
                                     "first": [str(p) for p in exc.problems[:20]]}, **who)
                raise
            new_records = checked.rows - checked.repeats - already
            stored_name = ""
            if new_records:
                stored_name = f"{STORE_DIR}/{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.parquet"
                target = Path(settings.MEDIA_ROOT) / stored_name
                con.execute(f"""
                    COPY (
                      SELECT {", ".join(COLUMNS)} FROM metering
                      WHERE line NOT IN (SELECT line FROM repeat_extra) {new_filter}
                    ) TO {_lit(str(target))} (FORMAT parquet, COMPRESSION zstd)
                """)
            with transaction.atomic():
                imp = MeteringImport.objects.create(
                    created_by=user, machine_client=machine_client, source=source,
                    original_name=name[:255], sha256=digest, stored=stored_name,
                    rows_in_file=checked.rows, new_records=new_records, already_present=already,
                    repeats_in_file=checked.repeats,
                )
                audit_record("metering.import", obj=imp, detail={
                    "file": name, "sha256": digest, "rows": checked.rows, "new": new_records,
                    "already_present": already, "repeats_in_file": checked.repeats}, **who)
            target = None  # kept
            return imp
        finally:
            con.close()
            if target is not None and target.exists():
                target.unlink()  # the database row was not written: nothing half-stored
            if engine_settings is None or engine_settings.temp_directory is None:
                shutil.rmtree(temp_dir, ignore_errors=True)


def _against_earlier_imports(con) -> tuple[int, str]:
    """Count records already imported with identical content; refuse different content.

    Returns that count and the SQL condition selecting the new records.
    """
    earlier = {str(Path(settings.MEDIA_ROOT) / i.stored.name): i.pk
               for i in MeteringImport.objects.exclude(stored="").only("pk", "stored")}
    if not earlier:
        return 0, ""
    files = "[" + ", ".join(_lit(p) for p in earlier) + "]"
    con.execute(f"""
        CREATE TEMP TABLE earlier_match AS
        SELECT m.line, m.record_id, e.filename, {_content("m")} = e.content AS same
        FROM metering m
        JOIN (SELECT record_id, filename, {_content()} AS content
              FROM read_parquet({files}, filename = true)) e USING (record_id)
        WHERE m.line NOT IN (SELECT line FROM repeat_extra)
    """)
    conflicts = con.execute(
        "SELECT line, record_id, filename FROM earlier_match WHERE NOT same ORDER BY line").fetchall()
    if conflicts:
        raise MeteringError(
            Problem(line, f"record_id“{rid}”已在第{earlier.get(fn, '?')}次导入中出现且内容不同")
            for line, rid, fn in conflicts)
    already = con.execute("SELECT count(*) FROM earlier_match").fetchall()[0][0]
    return already, "AND line NOT IN (SELECT line FROM earlier_match)" if already else ""


def subsidy_run(*, user=None, orgs: dict[str, OrgInfo] | None = None, request=None,
                engine_settings: EngineSettings | None = None) -> SubsidyRun:
    """Compute the subsidy over every stored import and keep the results as a new run."""
    from duixian.orgs.models import Organisation

    from .selectors import subsidy_orgs_from_database

    period, units = _pack_parameters()
    imports = list(MeteringImport.objects.exclude(stored=""))
    run = SubsidyRun.objects.create(
        created_by=user, period_start=period.start, period_end=period.end,
        units={u: str(f) for u, f in units.items()},
    )
    try:
        orgs = orgs if orgs is not None else subsidy_orgs_from_database()
        paths = [Path(settings.MEDIA_ROOT) / i.stored.name for i in imports]
        outcome = compute_subsidy(paths, orgs, period=period, units=units, settings=engine_settings)
        org_ids = dict(Organisation.objects.filter(uscc__in=[r.uscc for r in outcome.results])
                       .values_list("uscc", "pk"))
        with transaction.atomic():
            SubsidyResult.objects.bulk_create([
                SubsidyResult(
                    run=run, uscc=r.uscc, name=r.name or "", organisation_id=org_ids.get(r.uscc),
                    used=r.used, provided=r.provided, net=r.net,
                    **{f"excluded_{b}": r.excluded[b] for b in BUCKETS},
                    eligible=r.eligible, reasons=r.reasons, subsidy_quantity=r.subsidy_quantity,
                )
                for r in outcome.results
            ], batch_size=1000)
            run.imports.set(imports)
            run.status = RunStatus.SUCCEEDED
            run.records = outcome.stats.rows
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "records", "finished_at"])
            audit_record("subsidy.run", user=user, request=request, obj=run, detail={
                "imports": [i.pk for i in imports], "records": outcome.stats.rows,
                "organisations": len(outcome.results)})
    except Exception as exc:
        SubsidyRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        raise
    return run
