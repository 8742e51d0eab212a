"""Exports as one audited call each, shared by the browser views and the command line."""

from __future__ import annotations

import hashlib
from datetime import date

from duixian.audit.services import audit_record
from duixian.exports.letter import letter_file
from duixian.exports.materials import materials_zip
from duixian.exports.summary import summary_file


def export_summary(city_code: str, fmt: str, *, user=None, request=None, via: str = "web") -> tuple[bytes, object]:
    content, data = summary_file(city_code, fmt)
    audit_record(f"export.summary_{fmt}", user=user, request=request, username="" if user else via,
                 object_type="exports.summary", object_id=city_code,
                 detail={"city_code": city_code, "format": fmt, "rows": len(data.rows), "total_wan": str(data.total_wan),
                         "sha256": hashlib.sha256(content).hexdigest(), "via": via})
    return content, data


def export_letter(city_code: str, issued_on: date, *, user=None, request=None, via: str = "web"):
    content, data = letter_file(city_code, issued_on)
    audit_record("export.recommendation_letter", user=user, request=request, username="" if user else via,
                 object_type="exports.letter", object_id=city_code,
                 detail={"city_code": city_code, "rows": len(data.rows), "total_wan": str(data.total_wan),
                         "issued_on": issued_on.isoformat(), "sha256": hashlib.sha256(content).hexdigest(), "via": via})
    return content, data


def export_materials(city_code: str, *, user=None, request=None, via: str = "web"):
    handle, apps, files = materials_zip(city_code)
    audit_record("export.materials_zip", user=user, request=request, username="" if user else via,
                 object_type="exports.materials", object_id=city_code,
                 detail={"city_code": city_code, "applications": apps, "files": files, "via": via})
    return handle, apps, files
