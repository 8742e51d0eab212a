"""A zip of the recommended applications' materials, one folder per application.

Folders are numbered like the 汇总表 rows (01-DX2026-340100-000012-项目名称/), files keep the
material's name and the applicant's file name. The archive is written to a temporary file, so
a city with many large PDFs does not fill the server's memory.
"""

from __future__ import annotations

import re
import tempfile
import zipfile

from duixian.applications import policy_bridge
from duixian.applications.materials import material_open
from duixian.applications.models import Material
from duixian.exports.ooxml import zip_time

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_part(text: str, limit: int = 60) -> str:
    cleaned = _UNSAFE.sub("_", text).strip(" .") or "_"
    return cleaned[:limit]


def materials_zip(city_code: str, batch_id: str = ""):
    """(an open temporary file positioned at 0, number of applications, number of files) of one
    batch (the default batch without one)."""
    from duixian.review.selectors import recommended_by_city

    apps = list(recommended_by_city(city_code, batch_id or policy_bridge.get_pack().batch_id))  # every application the city recommended, whatever came next
    materials = Material.objects.filter(application__in=apps).order_by("application_id", "slot")
    by_app: dict[int, list[Material]] = {}
    for m in materials:
        by_app.setdefault(m.application_id, []).append(m)
    handle = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    files = 0
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, app in enumerate(apps, start=1):
            folder = f"{n:02d}-{app.reference or app.pk}-{safe_part(app.project_name, 40)}"
            slots = policy_bridge.material_slots(app.clause, app.application_type, policy_bridge.application_pack(app))
            names = {s.id: s.name for s in slots}
            when = zip_time(app.last_submitted_at or app.first_submitted_at)
            for m in by_app.get(app.pk, []):
                try:
                    source = material_open(m)
                except FileNotFoundError:
                    continue
                entry = zipfile.ZipInfo(f"{folder}/{safe_part(names.get(m.slot, m.slot), 40)}-{safe_part(m.original_name, 80)}",
                                        date_time=when)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with source, archive.open(entry, "w") as target:
                    while chunk := source.read(1024 * 1024):
                        target.write(chunk)
                files += 1
    handle.seek(0)
    return handle, len(apps), files
