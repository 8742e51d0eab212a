"""Importing metering files and running the compute subsidy (writes; see selectors for reads).

An import is all-or-nothing and idempotent on ``record_id``: the file is validated in full,
records already imported with identical content are skipped, a record_id imported before with
different content refuses the whole file, and only the new records are stored, as typed Parquet
under METERING_ROOT (the folder `duixian backup` copies; DuckDB needs local files, so with web
and worker on different machines METERING_ROOT is one shared folder). A run computes over every
stored import and writes its results in one transaction, so an interrupted run leaves the
previous results in place.
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
from django.utils.translation import gettext as _

from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.core.errors import DomainError
from duixian.core.moments import day_text
from duixian.core.stored_files import discard, save_checked
from duixian.core.uploads import IMAGES_AND_PDF, CheckedUpload, UploadRefused, check_upload

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


def _batch_pack(batch_id: str = ""):
    """The pack of a run's batch (the default batch for a new run)."""
    from duixian.policy.active import current_pack, pack_of

    return pack_of(batch_id) if batch_id else current_pack()


def _sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _store_root() -> Path:
    root = Path(settings.METERING_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


def metering_path(name: str) -> Path:
    """The local file of a stored metering name: `MeteringImport.stored` (`metering/<file>.parquet`)
    or `ComputeJob.upload` (`metering/uploads/<file>`), both kept under METERING_ROOT.

    DuckDB reads these files directly, so they are on the file system, not in the default
    storage; with web and worker on different machines METERING_ROOT is one shared folder."""
    relative = str(name).removeprefix(f"{STORE_DIR}/")
    if not relative or relative.startswith("/") or ".." in Path(relative).parts:
        raise ValueError(f"not a metering file name: {name!r}")
    return Path(settings.METERING_ROOT) / relative


@contextmanager
def _import_lock():
    """One import at a time (per METERING_ROOT): the check against earlier imports and the write
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
    progress=None,
) -> MeteringImport:
    """Import one metering file (CSV or Parquet); raise MeteringError listing every bad line.

    ``progress(done, total, message)``, when given, is told of each of the three steps.
    """
    step = progress or (lambda done, total, message: None)
    _period, units = pack_parameters(_batch_pack())
    digest = _sha256(path)
    name = original_name or Path(path).name
    who = {"user": user, "request": request,
           "username": f"接口客户端：{machine_client.name}" if machine_client else ""}
    with _import_lock():
        con, temp_dir = connect(engine_settings)
        target = None
        try:
            try:
                step(0, 3, "正在逐行校验计量文件…")
                checked = validate_metering(con, path, units, temp_dir)
                step(1, 3, f"已校验 {checked.rows} 行，正在与此前导入的记录比对…")
                already, new_filter = _against_earlier_imports(con)
            except MeteringError as exc:
                audit_record("metering.import", outcome="refused", object_type="compute.meteringimport",
                             detail={"file": name, "sha256": digest, "bad_lines": len(exc.lines()),
                                     "first": [str(p) for p in exc.problems[:20]]}, **who)
                raise
            new_records = checked.rows - checked.repeats - already
            step(2, 3, f"正在保存 {new_records} 条新增记录…")
            stored_name = ""
            if new_records:
                stored_name = f"{STORE_DIR}/{clock.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.parquet"
                target = metering_path(stored_name)
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
            step(3, 3, f"导入完成：新增 {new_records} 条，此前已导入 {already} 条")
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
    earlier = {str(metering_path(i.stored.name)): i.pk
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
                engine_settings: EngineSettings | None = None, batch_id: str = "") -> SubsidyRun:
    """Compute the subsidy over every stored import and keep the results as a new run of the
    batch (its pack's period and units; the default batch without `batch_id`)."""
    from duixian.orgs.models import Organisation

    from .selectors import subsidy_orgs_from_database

    pack = _batch_pack(batch_id)
    period, units = pack_parameters(pack)
    imports = list(MeteringImport.objects.exclude(stored=""))
    run = SubsidyRun.objects.create(
        created_by=user, batch_id=pack.batch_id, period_start=period.start, period_end=period.end,
        units={u: str(f) for u, f in units.items()},
    )
    try:
        orgs = orgs if orgs is not None else subsidy_orgs_from_database()
        paths = [metering_path(i.stored.name) for i in imports]
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
            run.finished_at = clock.now()
            run.save(update_fields=["status", "records", "finished_at"])
            audit_record("subsidy.run", user=user, request=request, obj=run, detail={
                "imports": [i.pk for i in imports], "records": outcome.stats.rows,
                "organisations": len(outcome.results)})
    except Exception as exc:
        SubsidyRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=clock.now())
        raise
    return run


# --------------------------------------------------------------------------------------------
# Browser imports and runs as background tasks (ComputeJob), publication, confirm / object.


class ComputeError(DomainError):
    """A refused action, with a Chinese message for the user and the form field it concerns."""


METERING_UPLOAD_DIR = "metering/uploads"
OBJECTION_DIR = "compute-objections"  # in the default storage (MEDIA_ROOT/compute-objections/ or the bucket)
OBJECTION_TYPES = IMAGES_AND_PDF


def metering_upload_max_bytes() -> int:
    return int(getattr(settings, "METERING_UPLOAD_MAX_MB", 200)) * 1024 * 1024


def objection_max_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_MB", 20)) * 1024 * 1024


def compute_job_import_start(*, upload, user, request=None):
    """Keep an uploaded metering file and queue its import; return the ComputeJob.

    Refused at once (ComputeError) when the file is too big or is neither Parquet nor text;
    everything else is the import's to judge, line by line, in the background.
    """
    from .models import ComputeJob, JobKind

    name = (getattr(upload, "name", "") or "")[:255]
    limit = metering_upload_max_bytes()
    if upload.size > limit:
        raise ComputeError(_("文件“%(name)s”超过 %(mb)sMB，请分成几个文件上传，或由调度平台通过接口推送。") % {
            "name": name, "mb": limit // (1024 * 1024)}, "file")
    if upload.size == 0:
        raise ComputeError(_("文件“%(name)s”是空文件。") % {"name": name}, "file")
    head = b""
    for chunk in upload.chunks():
        head = chunk[:8192]
        break
    upload.seek(0)
    if not head.startswith(b"PAR1") and b"\x00" in head:
        raise ComputeError(_("文件“%(name)s”既不是CSV文本文件也不是Parquet文件（按文件内容判断）。") % {"name": name}, "file")
    suffix = ".parquet" if head.startswith(b"PAR1") else ".csv"
    relative = f"{METERING_UPLOAD_DIR}/{uuid.uuid4().hex}{suffix}"
    target = metering_path(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as f:
        for chunk in upload.chunks():
            f.write(chunk)
    try:
        with transaction.atomic():  # the job, its audit row and its queued task, or none of them
            job = ComputeJob.objects.create(kind=JobKind.IMPORT, created_by=user, original_name=name, upload=relative)
            audit_record("metering.upload", user=user, request=request, obj=job,
                         detail={"file": name, "bytes": upload.size})
            _enqueue(job, user, f"导入计量数据：{name}")
    except BaseException:
        target.unlink(missing_ok=True)  # no job will ever read it
        raise
    return job


def compute_job_run_start(*, user, batch_id: str = "", request=None):
    """Queue a subsidy run of a batch (default: the default batch) over every stored import;
    return the ComputeJob. A batch whose pack has no 免申即享 clause or no compute unit has none."""
    from .models import ComputeJob, JobKind

    pack = _batch_pack(batch_id)
    if not pack.compute_units or not any(c.kind == "automatic" for c in pack.clauses):
        raise ComputeError(_("“%(batch)s”没有免申即享的算力补助（政策包未写免申即享条款或计量单位），无需计算。")
                           % {"batch": pack.title})
    with transaction.atomic():  # the job, its audit row and its queued task, or none of them
        job = ComputeJob.objects.create(kind=JobKind.RUN, created_by=user, batch_id=pack.batch_id)
        audit_record("subsidy.run_start", user=user, request=request, obj=job, detail={"batch": pack.batch_id})
        _enqueue(job, user, "计算算力补助")
    return job


def _enqueue(job, user, title: str) -> None:
    from duixian.ops.progress import task_progress_start

    from .tasks import compute_job_task

    result = compute_job_task.enqueue(job.pk)
    type(job).objects.filter(pk=job.pk).update(task_id=result.id)
    job.task_id = result.id
    task_progress_start(result.id, user=user, title=title, total=3)


def compute_job_execute(job_id: int, task_id=None) -> None:
    """Do a queued job (called by the background task). Never raises for a refused file."""
    from duixian.ops.progress import task_progress

    from .models import ComputeJob, JobKind, JobStatus

    job = ComputeJob.objects.select_related("created_by").get(pk=job_id)
    if job.finished:
        return  # a retried task does not import twice
    ComputeJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)

    def progress(done, total, message):
        if task_id is not None:
            task_progress(task_id, done, total, message)

    status, fields = JobStatus.FAILED, {}
    try:
        if job.kind == JobKind.IMPORT:
            path = metering_path(job.upload)
            try:
                imp = metering_import(path, source=ImportSource.UPLOAD, user=job.created_by,
                                      original_name=job.original_name, progress=progress)
            except MeteringError as exc:
                status = JobStatus.REFUSED
                fields = {"problems": [{"line": p.line, "message": p.message} for p in exc.problems],
                          "message": f"计量文件未被接受：共 {len(exc.lines())} 行有错误，未保存任何记录。"}
                progress(3, 3, fields["message"])
            else:
                status = JobStatus.SUCCEEDED
                fields = {"metering_import": imp,
                          "message": f"导入完成：文件 {imp.rows_in_file} 行，新增 {imp.new_records} 条，"
                                     f"此前已导入 {imp.already_present} 条，文件内相同的重复 {imp.repeats_in_file} 条。"}
            finally:
                path.unlink(missing_ok=True)
        else:
            progress(1, 3, "正在计算各单位的算力补助量…")
            run = subsidy_run(user=job.created_by, batch_id=job.batch_id)
            status = JobStatus.SUCCEEDED
            fields = {"run": run, "message": f"计算完成：{run.records} 条记录，{run.results.count()} 个单位。"}
            progress(3, 3, fields["message"])
    except Exception as exc:  # noqa: BLE001 — recorded on the job, shown on its page
        fields = {"message": f"执行失败：{exc}"[:2000]}
        raise
    finally:
        for key, value in fields.items():
            setattr(job, key, value)
        job.status = status
        job.finished_at = clock.now()
        job.save()


def subsidy_run_publish(run, *, user, last_day, request=None):
    """Publish a run to the organisations, with the last day (inclusive) of the objection period."""
    from duixian.core import clock

    from .selectors import subsidy_run_current

    if run.status != RunStatus.SUCCEEDED:
        raise ComputeError(_("只有已完成的计算才能发布。"))
    if run.published_at is not None:
        raise ComputeError(_("该计算已于%(day)s发布。") % {
            "day": day_text(timezone.localtime(run.published_at, clock.SHANGHAI))})
    current = subsidy_run_current(run.batch_id)
    if current is None or current.pk != run.pk:
        raise ComputeError(_("只能发布最近一次完成的计算；请查看最新的计算结果后再发布。"))
    today = clock.now().astimezone(clock.SHANGHAI).date()
    if last_day is None:
        raise ComputeError(_("请填写异议期的最后一天。"), "objection_last_day")
    if last_day < today:
        raise ComputeError(_("异议期最后一天不能早于今天（%(day)s）。") % {"day": day_text(today)}, "objection_last_day")
    with transaction.atomic():
        locked = SubsidyRun.objects.select_for_update().get(pk=run.pk)
        if locked.published_at is not None:
            raise ComputeError(_("该计算已被发布。"))
        locked.published_at = clock.now()
        locked.published_by = user
        locked.objection_last_day = last_day
        locked.save(update_fields=["published_at", "published_by", "objection_last_day"])
        audit_record("subsidy.publish", user=user, request=request, obj=locked, detail={
            "objection_last_day": last_day.isoformat(),
            "eligible": locked.results.filter(eligible=True, subsidy_quantity__gt=0).count(),
            "organisations": locked.results.count()})
    return locked


def _check_response_window(result) -> None:
    from duixian.core import clock

    from .selectors import subsidy_run_published

    run = result.run
    if run.published_at is None:
        raise ComputeError(_("该计算结果尚未发布。"))
    latest = subsidy_run_published(run.batch_id)
    if latest is not None and latest.pk != run.pk:
        raise ComputeError(_("该结果已被省科技厅重新计算并发布的结果取代，请查看最新结果。"))
    if clock.now() >= run.objection_deadline:
        raise ComputeError(
            _("确认和异议期已于%(day)s 24:00 结束，不再受理确认或异议；如有疑问请联系省科技厅人工智能处。")
            % {"day": day_text(run.objection_last_day)})
    if result.response:
        raise ComputeError(_("本单位已于%(day)s%(response)s，不能重复回复。") % {
            "day": day_text(result.responded_at.astimezone(clock.SHANGHAI)),
            "response": result.get_response_display()})


def subsidy_result_confirm(result, *, user, request=None):
    from duixian.core import clock

    with transaction.atomic():
        result = SubsidyResult.objects.select_for_update().select_related("run").get(pk=result.pk)
        _check_response_window(result)
        result.response = "confirmed"
        result.responded_at = clock.now()
        result.responded_by = user
        result.save(update_fields=["response", "responded_at", "responded_by"])
        audit_record("subsidy.confirm", user=user, request=request, obj=result,
                     detail={"run": result.run_id, "uscc": result.uscc,
                             "subsidy_quantity": str(result.subsidy_quantity)})
    return result


def _check_objection_attachment(upload) -> CheckedUpload:
    try:
        return check_upload(upload, max_bytes=objection_max_bytes(), allowed=OBJECTION_TYPES)
    except UploadRefused as refused:
        raise ComputeError(refused.message, "attachment") from None


def subsidy_objection_submit(result, *, user, reason: str, attachment=None, request=None):
    """The organisation objects (异议) to its published result, within the period."""
    from duixian.core import clock

    from .models import SubsidyObjection

    reason = (reason or "").strip()
    stored = ""
    try:
        with transaction.atomic():
            result = SubsidyResult.objects.select_for_update().select_related("run").get(pk=result.pk)
            _check_response_window(result)
            if not reason:
                raise ComputeError(_("请写明异议的理由（例如哪些计量记录有误、应如何计算）。"), "reason")
            objection = SubsidyObjection(result=result, created_by=user, reason=reason[:5000])
            if attachment is not None:
                # Checked on a temporary copy; only a file that passed reaches the storage, just
                # before the rows. If the rows fail, the file is deleted below.
                with _check_objection_attachment(attachment) as checked:
                    stored = save_checked(OBJECTION_DIR, checked)
                objection.attachment = stored
                objection.attachment_name = (attachment.name or "")[:255]
                objection.attachment_type = checked.content_type
            objection.save()
            result.response = "objected"
            result.responded_at = clock.now()
            result.responded_by = user
            result.save(update_fields=["response", "responded_at", "responded_by"])
            audit_record("subsidy.object", user=user, request=request, obj=objection,
                         detail={"run": result.run_id, "uscc": result.uscc,
                                 "attachment": objection.attachment_name, "reason": reason[:200]})
    except BaseException:
        discard(stored)
        raise
    return objection


def subsidy_objection_resolve(objection, *, user, outcome: str, answer: str, request=None):
    """The province's recorded answer to an objection."""
    from duixian.core import clock

    from .models import ObjectionOutcome, ObjectionStatus, SubsidyObjection

    answer = (answer or "").strip()
    if outcome not in ObjectionOutcome.values:
        raise ComputeError(_("请选择处理结论。"), "outcome")
    if not answer:
        raise ComputeError(_("请填写给单位的答复。"), "answer")
    with transaction.atomic():
        objection = SubsidyObjection.objects.select_for_update().get(pk=objection.pk)
        if objection.status == ObjectionStatus.RESOLVED:
            raise ComputeError(_("该异议已经答复过了。"))
        objection.status = ObjectionStatus.RESOLVED
        objection.outcome = outcome
        objection.answer = answer[:5000]
        objection.resolved_at = clock.now()
        objection.resolved_by = user
        objection.save(update_fields=["status", "outcome", "answer", "resolved_at", "resolved_by"])
        audit_record("subsidy.objection_resolve", user=user, request=request, obj=objection,
                     detail={"outcome": outcome, "answer": answer[:200], "result": objection.result_id})
    return objection


def subsidy_result_breakdown(result) -> dict:
    """The result's breakdown by month and counterpart, computed with DuckDB on first use and
    kept on the result (a run's imports never change)."""
    if result.breakdown:
        return result.breakdown
    from .engine import Period, organisation_breakdown
    from .selectors import subsidy_orgs_from_database

    run = result.run
    paths = [metering_path(i.stored.name) for i in run.imports.exclude(stored="")]
    pack = _batch_pack(run.batch_id)
    data = organisation_breakdown(
        paths, result.uscc, subsidy_orgs_from_database(),
        period=Period(run.period_start, run.period_end),
        units={u: f for u, f in (run.units or {}).items()} or pack_parameters(pack)[1],
        tz=str(getattr(pack, "tz", "Asia/Shanghai")))
    SubsidyResult.objects.filter(pk=result.pk).update(breakdown=data)
    result.breakdown = data
    return data
