"""Writes for the registries: imports (all-or-nothing, versioned, audited), withdrawing a version,
applicants' notes, reminders to parks; and `registry_overlay`, which the applications' verdict
calls so every verdict uses the registries in force."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.core.errors import DomainError
from duixian.policy.verdict import Verdict

from .kinds import KINDS
from .matching import describe
from .models import EvaluationReminder, RegistryEntry, RegistryNote, RegistryVersion
from .parsing import Problem, RegistryFileError, parse_rows, read_table
from .selectors import check_facts


class RegistryError(DomainError):
    """A refused registry action, with the Chinese message and the field it concerns."""


def _problems_in_chinese(problems) -> list[str]:
    """Audit details stay Chinese whatever the page's language (docs/i18n.md)."""
    with translation.override("zh-hans"):
        return [str(p) for p in problems]


def registry_import(kind: str, filename: str, data: bytes, *, user, request=None, note: str = "") -> RegistryVersion:
    """Import one file as a new version of `kind`. Any bad row refuses the whole file
    (RegistryFileError lists every bad line) and nothing is stored."""
    if kind not in KINDS:
        raise RegistryFileError([Problem(None, _("请选择登记册类型。"))])
    sha = hashlib.sha256(data).hexdigest()
    try:
        rows = parse_rows(kind, read_table(filename, data))
    except RegistryFileError as exc:
        audit_record("registry.import", user=user, request=request, object_type="registries.registryversion",
                     outcome="refused", detail={"kind": kind, "file": filename, "sha256": sha,
                                                "problems": _problems_in_chinese(exc.problems[:50]),
                                                "problem_count": len(exc.problems)})
        raise
    with transaction.atomic():
        # Lock the kind's versions so two imports at once get distinct numbers.
        last = (RegistryVersion.objects.select_for_update().filter(kind=kind).aggregate(n=Max("number"))["n"] or 0)
        version = RegistryVersion.objects.create(
            kind=kind, number=last + 1, original_name=filename[:255], sha256=sha, rows=len(rows), note=note[:300],
            created_by=user, created_at=clock.now(),
        )
        RegistryEntry.objects.bulk_create([RegistryEntry(version=version, **row) for row in rows], batch_size=2000)
        audit_record("registry.import", user=user, request=request, obj=version,
                     detail={"kind": kind, "number": version.number, "rows": len(rows), "file": filename, "sha256": sha})
    return version


def registry_version_withdraw(version: RegistryVersion, *, user, reason: str, request=None) -> RegistryVersion:
    """Stop using a version (kept for the record); the previous active version of its kind applies."""
    reason = (reason or "").strip()
    if not reason:
        raise RegistryError(_("请填写停用原因。"), "reason")
    with transaction.atomic():
        locked = RegistryVersion.objects.select_for_update().get(pk=version.pk)
        if not locked.active:
            raise RegistryError(_("该版本已停用。"))
        locked.active = False
        locked.withdrawn_at = clock.now()
        locked.withdrawn_by = user
        locked.withdraw_reason = reason[:300]
        locked.save(update_fields=["active", "withdrawn_at", "withdrawn_by", "withdraw_reason"])
        audit_record("registry.withdraw", user=user, request=request, obj=locked,
                     detail={"kind": locked.kind, "number": locked.number, "reason": reason})
    return locked


def registry_overlay(clause, facts: dict, pack=None):
    """(facts with registry values laid over the answers, annotate(verdict) -> verdict).

    `annotate` gives the verdict its `registry` ({sources, flags}) and, on each rule that read a
    registry fact, the source rows (`registry_sources`) and their text at the end of the message,
    so every page that shows the verdict shows where the value came from.
    """
    check = check_facts(clause, facts, pack=pack)
    if not check.has_findings:
        return facts, (lambda verdict: verdict)

    def annotate(verdict: Verdict) -> Verdict:
        by_fact: dict[str, list[dict]] = {}
        for s in check.sources:
            by_fact.setdefault(s["fact"], []).append(s)
        rules = []
        for rule in verdict.rules:
            hits = [s for fact, items in by_fact.items() if fact in rule.inputs for s in items]
            if hits:
                rule = replace(rule, registry_sources=tuple(hits),
                               message=f"{rule.message}（依据登记册：{'；'.join(describe(s) for s in hits)}）")
            rules.append(rule)
        return verdict.with_rules(rules, registry={"sources": check.sources, "flags": check.flags})

    return check.facts, annotate


def registry_note_add(application, *, user, text: str, fact: str = "", request=None) -> RegistryNote:
    text = (text or "").strip()
    if not text:
        raise RegistryError(_("请填写说明。"), "text")
    if len(text) > 2000:
        raise RegistryError(_("说明不能超过 2000 字。"), "text")
    with transaction.atomic():  # the note and its audit row, or neither
        note = RegistryNote.objects.create(application=application, fact=fact[:60], text=text, author=user,
                                           created_at=clock.now())
        audit_record("registry.note", user=user, request=request, obj=application,
                     detail={"fact": fact, "note_id": note.pk})
    return note


def evaluation_reminder_send(uscc: str, park_name: str, *, user, request=None) -> EvaluationReminder:
    """Remind an obliged park's organisation (in-app notification, email when configured)."""
    from django.urls import reverse

    from duixian.applications.notifications import notify

    from .selectors import obligation_of

    park = obligation_of(uscc, park_name)
    if park is None:
        raise RegistryError(_("该园区不在须参加本年度绩效评价的名单中。"))
    if park.submitted:
        raise RegistryError(_("该园区已提交绩效评价申报，无需提醒。"))
    if park.organisation is None:
        raise RegistryError(_("该园区运营单位尚未在平台注册，无法发送站内提醒，请电话联系。"))
    with transaction.atomic():
        # stored once in Chinese, read by whoever opens it; the words are the pack's
        notify(park.organisation, "registries.evaluation_reminder",
               title=f"请提交“{park.owed}”申报：{park_name}",
               body=f"{park.reason_text}（通知{park.citation}）。请在申报系统关闭前提交“{park.owed}”申报。",
               link=reverse("registries:my_obligations"))
        reminder = EvaluationReminder.objects.create(uscc=uscc, park_name=park_name, organisation=park.organisation,
                                                     sent_by=user, sent_at=clock.now())
        audit_record("registry.evaluation_reminder", user=user, request=request, obj=park.organisation,
                     detail={"uscc": uscc, "park": park_name, "year": park.entry.year})
    return reminder
