"""`POST /api/v1/metering`: the compute scheduling platform pushes metering files.

Authenticated with a machine token of scope ``metering:write`` (Authorization: Bearer …). The
body is multipart with one file field ``file`` (CSV with header or Parquet, CONTRACTS §3). The
import is all-or-nothing and idempotent on record_id: pushing the same file again answers 200
with ``new_records: 0``. A refused file answers 422 with every bad line. The file is validated
exactly as a file import (one validator, duixian/compute/metering.py, with the same bounds); a
body above ``METERING_API_MAX_MB`` answers 413 (duixian/compute/limits.py).
"""

import os
import tempfile

from ninja import File, Router, Schema
from ninja.files import UploadedFile

from duixian.api.auth import MachineTokenAuth
from duixian.core.ratelimit import ratelimit

from .limits import api_max_bytes, too_large_body
from .metering import MeteringError
from .models import ImportSource

router = Router(tags=["算力补助"])

SCOPE = "metering:write"


class ImportOut(Schema):
    import_id: int
    rows_in_file: int
    new_records: int
    already_present: int
    repeats_in_file: int
    sha256: str
    created_at: str


class LineProblem(Schema):
    line: int
    message: str


class RefusedOut(Schema):
    error: str
    lines: list[int]
    problems: list[LineProblem]


class DetailOut(Schema):
    detail: str


@router.post("/metering", auth=MachineTokenAuth(SCOPE),
             response={200: ImportOut, 401: DetailOut, 413: RefusedOut, 422: RefusedOut, 429: DetailOut},
             summary="推送计量文件（免申即享算力补助）")
@ratelimit("30/m")
def metering_push(request, file: UploadedFile = File(...)):
    from .services import metering_import

    limit = api_max_bytes()
    if (file.size or 0) > limit:  # the middleware refused a declared length already
        return 413, too_large_body(limit)
    suffix = os.path.splitext(file.name or "")[1][:10]
    with tempfile.NamedTemporaryFile(prefix="duixian-metering-", suffix=suffix) as tmp:
        for chunk in file.chunks():
            tmp.write(chunk)
        tmp.flush()
        try:
            imp = metering_import(tmp.name, source=ImportSource.API, machine_client=request.auth,
                                  original_name=file.name or "", request=request)
        except MeteringError as exc:
            return 422, {
                "error": f"计量文件未被接受：共 {len(exc.lines())} 行有错误，未保存任何记录",
                "lines": exc.lines(),
                "problems": [{"line": p.line, "message": p.message} for p in exc.problems],
            }
    return 200, {
        "import_id": imp.pk, "rows_in_file": imp.rows_in_file, "new_records": imp.new_records,
        "already_present": imp.already_present, "repeats_in_file": imp.repeats_in_file,
        "sha256": imp.sha256, "created_at": imp.created_at.isoformat(),
    }
