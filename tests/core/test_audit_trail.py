"""Core's own writes reach the audit trail through core.audit_trail, which the audit app fills in
its AppConfig.ready() (core sits below audit: docs/decisions/0002). The rate limit's refusal is
tested in tests/core/test_ratelimit.py."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from duixian.audit import services as audit_services
from duixian.audit.models import AuditEvent
from duixian.core import audit_trail
from duixian.core.forms import AnnouncementForm
from duixian.core.models import Announcement
from duixian.core.services import announcement_publish, announcement_withdraw


def _form(title="申报系统维护通知"):
    form = AnnouncementForm(data={"kind": "notice", "title": title, "body": "周六 22:00 起维护两小时。"})
    assert form.is_valid(), form.errors
    return form


def test_the_audit_app_writes_cores_audit_rows():
    assert audit_trail._writer is audit_services.audit_record


def test_publishing_and_withdrawing_an_announcement_are_audited(users):
    province = users["province"]
    item = announcement_publish(_form(), user=province)
    announcement_withdraw(item.pk, user=province)
    events = list(AuditEvent.objects.filter(object_id=str(item.pk)).order_by("seq", "pk"))
    assert [(e.action, e.username, e.object_type) for e in events] == [
        ("announcement.publish", "province", "core.announcement"),
        ("announcement.withdraw", "province", "core.announcement"),
    ]
    assert events[0].detail == {"title": "申报系统维护通知"}


def test_without_the_audit_writer_an_announcement_is_refused_not_published_unrecorded(users, monkeypatch):
    monkeypatch.setattr(audit_trail, "_writer", None)
    with pytest.raises(ImproperlyConfigured, match="announcement.publish"):
        announcement_publish(_form("不应发布"), user=users["province"])
    assert not Announcement.objects.filter(title="不应发布").exists()
