"""Exports as one audited call each, shared by the browser views and the command line.

A city clerk's download of the 汇总表 or the 推荐函 is archived (duixian/exports/models.py):
the same bytes as the latest version re-serve that version; other bytes make the next version.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from duixian.authz.roles import Role
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.exports.letter import letter_docx, letter_file
from duixian.exports.materials import materials_zip
from duixian.exports.models import ExportKind, ExportVersion
from duixian.exports.summary import DOCX_TYPE, XLSX_TYPE, summary_data, summary_file, summary_filename


def export_summary(city_code: str, fmt: str, *, user=None, request=None, via: str = "web",
                   version: ExportVersion | None = None, pack=None) -> tuple[bytes, object]:
    content, data = summary_file(city_code, fmt, pack)
    audit_record(f"export.summary_{fmt}", user=user, request=request, username="" if user else via,
                 object_type="exports.summary", object_id=city_code,
                 detail={"city_code": city_code, "format": fmt, "rows": len(data.rows), "total_wan": str(data.total_wan),
                         "sha256": hashlib.sha256(content).hexdigest(), "via": via,
                         **_version_detail(version)})
    return content, data


def export_letter(city_code: str, issued_on: date, *, user=None, request=None, via: str = "web",
                  version: ExportVersion | None = None, pack=None):
    content, data = letter_file(city_code, issued_on, pack)
    audit_record("export.recommendation_letter", user=user, request=request, username="" if user else via,
                 object_type="exports.letter", object_id=city_code,
                 detail={"city_code": city_code, "rows": len(data.rows), "total_wan": str(data.total_wan),
                         "issued_on": issued_on.isoformat(), "sha256": hashlib.sha256(content).hexdigest(), "via": via,
                         **_version_detail(version)})
    return content, data


def export_materials(city_code: str, *, user=None, request=None, via: str = "web", pack=None):
    handle, apps, files = materials_zip(city_code, pack.batch_id if pack else "")
    audit_record("export.materials_zip", user=user, request=request, username="" if user else via,
                 object_type="exports.materials", object_id=city_code,
                 detail={"city_code": city_code, "applications": apps, "files": files, "via": via})
    return handle, apps, files


# ---- archived versions -----------------------------------------------------------------------------


def _version_detail(version: ExportVersion | None) -> dict:
    return {"version": version.number, "version_id": version.pk} if version is not None else {}


def archives(user) -> bool:
    """Whose downloads are archived: the city's own clerk (what the bureau prints and stamps)."""
    return getattr(user, "role", None) == Role.CITY_CLERK


def _rows(data) -> list[dict]:
    return [{"reference": r.reference, "project_name": r.project_name,
             "amount_wan": None if r.amount_wan is None else str(r.amount_wan)} for r in data.rows]


def changes_between(previous: ExportVersion | None, rows: list[dict], total: str, contact_line: str,
                    issued_on: date | None) -> dict:
    """What a new version changes against the previous one: projects added / removed / amounts, contact, date."""
    if previous is None:
        return {"first": True}
    before = {r["reference"] or r["project_name"]: r for r in previous.rows}
    after = {r["reference"] or r["project_name"]: r for r in rows}
    out: dict = {}
    added = [after[k]["project_name"] for k in after if k not in before]
    removed = [before[k]["project_name"] for k in before if k not in after]
    amounts = [{"project_name": after[k]["project_name"], "from": before[k]["amount_wan"], "to": after[k]["amount_wan"]}
               for k in after if k in before and before[k]["amount_wan"] != after[k]["amount_wan"]]
    renamed = [{"from": before[k]["project_name"], "to": after[k]["project_name"]}
               for k in after if k in before and before[k]["project_name"] != after[k]["project_name"]]
    if added:
        out["added"] = added
    if removed:
        out["removed"] = removed
    if amounts:
        out["amounts"] = amounts
    if renamed:
        out["renamed"] = renamed
    if str(previous.total_wan) != total:
        out["total"] = {"from": str(previous.total_wan), "to": total}
    if previous.contact_line != contact_line:
        out["contact_line"] = {"from": previous.contact_line, "to": contact_line}
    if issued_on is not None and previous.issued_on != issued_on:
        out["issued_on"] = {"from": previous.issued_on.isoformat() if previous.issued_on else None,
                            "to": issued_on.isoformat()}
    if not out:
        out["layout"] = True  # same projects, figures and lines: only the file's form differs
    return out


def changes_text(changes: dict) -> str:
    """The changes in one Chinese sentence for the version list."""
    if not changes or changes.get("first"):
        return _("首次生成")
    parts = []
    if changes.get("added"):
        parts.append(_("新增：%(names)s") % {"names": "、".join(changes["added"])})
    if changes.get("removed"):
        parts.append(_("移除：%(names)s") % {"names": "、".join(changes["removed"])})
    for a in changes.get("amounts", ()):
        parts.append(_("%(name)s 金额 %(old)s → %(new)s 万元") % {"name": a["project_name"], "old": a["from"], "new": a["to"]})
    for r in changes.get("renamed", ()):
        parts.append(_("项目名称 %(old)s → %(new)s") % {"old": r["from"], "new": r["to"]})
    if changes.get("total"):
        parts.append(_("合计 %(old)s → %(new)s 万元") % {"old": changes["total"]["from"], "new": changes["total"]["to"]})
    if changes.get("contact_line"):
        parts.append(_("联系人及联系方式 “%(old)s” → “%(new)s”") % {
            "old": changes["contact_line"]["from"], "new": changes["contact_line"]["to"]})
    if changes.get("issued_on"):
        parts.append(_("落款日期 %(old)s → %(new)s") % {"old": changes["issued_on"]["from"] or "—",
                                                      "new": changes["issued_on"]["to"]})
    if changes.get("layout"):
        parts.append(_("内容未变，文件格式更新"))
    return _("；").join(parts)


def latest_version(city_code: str, batch_id: str, kind: str) -> ExportVersion | None:
    return ExportVersion.objects.filter(city_code=city_code, batch_id=batch_id, kind=kind).order_by("-number").first()


class _NumberTaken(Exception):
    """Another clerk's download took this version number first (rolled back; try the next)."""


def _archive(city_code: str, kind: str, content: bytes, data, filename: str, content_type: str, *, user, request,
             issued_on: date | None = None) -> tuple[ExportVersion, bool]:
    """The version holding exactly `content`: the latest when it has the same bytes, else a new one."""
    digest = hashlib.sha256(content).hexdigest()
    rows, total, contact_line = _rows(data), str(data.total_wan), data.contact_line
    for _attempt in range(3):  # two clerks downloading at once both get a number, one after the other
        previous = latest_version(city_code, data.batch_id, kind)
        if previous is not None and previous.sha256 == digest:
            return previous, False
        changes = changes_between(previous, rows, total, contact_line, issued_on)
        try:
            with transaction.atomic():  # the version and its audit row, or neither
                try:
                    version = ExportVersion.objects.create(
                        city_code=city_code, batch_id=data.batch_id, kind=kind,
                        number=(previous.number + 1) if previous else 1, filename=filename,
                        content_type=content_type, content=content, sha256=digest, size=len(content), rows=rows,
                        total_wan=data.total_wan, contact_line=contact_line, issued_on=issued_on, changes=changes,
                        created_by=user, created_by_label=str(getattr(user, "full_name", "") or getattr(user, "username", "")),
                        created_at=clock.now())
                except IntegrityError:
                    raise _NumberTaken from None
                audit_record("export.version_create", user=user, request=request, obj=version, detail={
                    "city_code": city_code, "batch_id": data.batch_id, "kind": kind, "number": version.number,
                    "sha256": digest, "size": len(content),
                    "rows": len(rows), "total_wan": total, "changes": changes,
                    **({"issued_on": issued_on.isoformat()} if issued_on else {})})
        except _NumberTaken:
            continue
        return version, True
    raise RuntimeError("could not number the export version")  # pragma: no cover - three collisions in a row


def versioned_name(filename: str, number: int) -> str:
    stem, dot, ext = filename.rpartition(".")
    return f"{stem}-{_('第%(n)s版') % {'n': number}}.{ext}"


def download_summary(city_code: str, fmt: str, *, user, request=None, pack=None):
    """(bytes, filename, version or None) of the 汇总表 of `pack`'s batch (the default batch's
    without one) the user downloads now; a clerk's is archived."""
    content, data = summary_file(city_code, fmt, pack)
    filename = summary_filename(data, fmt)
    version = None
    if archives(user):
        kind = ExportKind.SUMMARY_XLSX if fmt == "xlsx" else ExportKind.SUMMARY_DOCX
        version, _created = _archive(city_code, kind, content, data, filename, XLSX_TYPE if fmt == "xlsx" else DOCX_TYPE,
                                     user=user, request=request)
        content, filename = bytes(version.content), versioned_name(filename, version.number)
    audit_record(f"export.summary_{fmt}", user=user, request=request, object_type="exports.summary", object_id=city_code,
                 detail={"city_code": city_code, "batch_id": data.batch_id, "format": fmt, "rows": len(data.rows),
                         "total_wan": str(data.total_wan), "sha256": hashlib.sha256(content).hexdigest(), "via": "web",
                         **_version_detail(version)})
    return content, filename, version


LETTER_DAYS_AHEAD = 31


def letter_date_problem(issued_on: date, pack=None) -> str:
    """Why a 推荐函 cannot carry this date, or "": from the notice's date to a month after today
    (a letter dated in year 1, or in 9999, which no ZIP entry can hold, is a typing error)."""
    from datetime import timedelta

    from duixian.applications import policy_bridge

    first = (pack or policy_bridge.get_pack()).notice_date
    last = clock.local_now().date() + timedelta(days=LETTER_DAYS_AHEAD)
    if first <= issued_on <= last:
        return ""
    return _("落款日期应在 %(first)s 至 %(last)s 之间（通知发布之日至今天起一个月内）。") % {
        "first": first.isoformat(), "last": last.isoformat()}


def download_letter(city_code: str, issued_on: date | None, *, user, request=None, pack=None):
    """(bytes, filename, version or None) of the 推荐函 of `pack`'s batch (the default batch's
    without one). Without a date, a clerk whose projects and contact have not changed gets the
    latest version again (its date); otherwise today's date."""
    data = summary_data(city_code, pack=pack)
    version = None
    filename = f"{data.bureau}-推荐函.docx"
    if archives(user):
        previous = latest_version(city_code, data.batch_id, ExportKind.LETTER_DOCX)
        day = issued_on
        if day is None and previous is not None and previous.issued_on is not None:
            same = letter_docx(data, issued_on=previous.issued_on)
            if hashlib.sha256(same).hexdigest() == previous.sha256:
                day = previous.issued_on
        day = day or clock.local_now().date()
        content = letter_docx(data, issued_on=day)
        version, _created = _archive(city_code, ExportKind.LETTER_DOCX, content, data, filename, DOCX_TYPE,
                                     user=user, request=request, issued_on=day)
        content, filename = bytes(version.content), versioned_name(filename, version.number)
    else:
        day = issued_on or clock.local_now().date()
        content = letter_docx(data, issued_on=day)
    audit_record("export.recommendation_letter", user=user, request=request, object_type="exports.letter",
                 object_id=city_code,
                 detail={"city_code": city_code, "batch_id": data.batch_id, "rows": len(data.rows),
                         "total_wan": str(data.total_wan), "issued_on": day.isoformat(), "sha256": hashlib.sha256(content).hexdigest(), "via": "web",
                         **_version_detail(version)})
    return content, filename, version


def versions_for_city(city_code: str, batch_id: str):
    return (ExportVersion.objects.filter(city_code=city_code, batch_id=batch_id).defer("content")
            .order_by("kind", "-number"))


def version_download(version: ExportVersion, *, user, request=None) -> bytes:
    """An archived version again, byte for byte (checked against its sha256)."""
    content = bytes(version.content)
    intact = hashlib.sha256(content).hexdigest() == version.sha256
    audit_record("export.version_download", user=user, request=request, obj=version,
                 outcome="success" if intact else "failure", detail={
                     "city_code": version.city_code, "kind": version.kind, "number": version.number,
                     "sha256": version.sha256, "intact": intact})
    return content
