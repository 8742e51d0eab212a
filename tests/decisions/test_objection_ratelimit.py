"""The public 公示 objection form and xlsx are limited per client address (RATE_LIMIT_OBJECTION,
RATE_LIMIT_PUBLIC_DOWNLOAD), and stored objections per address and item (RATE_LIMIT_OBJECTION_PER_ITEM)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from duixian.audit.models import AuditEvent
from duixian.decisions.models import Objection, ObjectionAttachment
from tests.applications.conftest import EXE, PDF, at

pytestmark = pytest.mark.django_db


def objection(item=None, **overrides) -> dict:
    data = {"item": str(item.pk) if item else "", "name": "赵敏", "phone": "13155113928",
            "body": "该项目场景尚未投入使用。"}
    data.update(overrides)
    return data


def stored_files(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "objections"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_the_tenth_post_of_a_minute_passes_and_the_eleventh_is_refused(published, settings):
    url = f"/public/gongshi/{published.pk}/objection/"
    for _ in range(9):  # forms sent back with mistakes count too
        assert Client().post(url, objection(body="")).status_code == 200
    tenth = Client().post(url, objection())
    assert tenth.status_code == 302 and Objection.objects.count() == 1

    refused = Client().post(url, objection(files=[SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")]))
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    text = refused.content.decode()
    assert "请求过于频繁" in text and "每分钟 10 次" in text
    assert "请于 2026年6月18日 10:01（北京时间）之后再试" in text
    assert "结果公示" in text and 'id="main"' in text  # rendered in the site's layout
    assert Objection.objects.count() == 1 and not ObjectionAttachment.objects.exists()
    assert len(stored_files(settings)) == 0  # the refused attachment was not written either
    # Another address is not affected.
    assert Client().post(url, objection(), REMOTE_ADDR="198.51.100.8").status_code == 302
    trip = AuditEvent.objects.get(action="ratelimit.refused")
    assert trip.ip == "127.0.0.1" and trip.detail["scope"] == "public.objection"


def test_the_objection_window_resets_after_the_minute(published, time_machine):
    url = f"/public/gongshi/{published.pk}/objection/"
    for _ in range(10):
        Client().post(url, objection(body=""))
    assert Client().post(url, objection()).status_code == 429
    time_machine.move_to(at("2026-06-18 10:00:59"), tick=False)
    assert Client().post(url, objection()).status_code == 429
    time_machine.move_to(at("2026-06-18 10:01:00"), tick=False)
    assert Client().post(url, objection()).status_code == 302


def test_five_stored_objections_on_one_item_pass_the_sixth_is_refused_until_midnight(published, time_machine):
    url = f"/public/gongshi/{published.pk}/objection/"
    first, second = published.items.all()[:2]
    for minute in range(5):
        time_machine.move_to(at(f"2026-06-18 10:{minute:02d}:00"), tick=False)
        assert Client().post(url, objection(first)).status_code == 302
    time_machine.move_to(at("2026-06-18 23:00:00"), tick=False)
    sixth = Client().post(url, objection(first, body="第六条"))
    assert sixth.status_code == 429 and sixth["Retry-After"] == "3600"
    text = sixth.content.decode()
    assert "同一网络地址就同一公示项目提出的异议有数量上限（每天 5 次）" in text
    assert "请于 2026年6月19日 00:00（北京时间）之后再试，约 1 小时后" in text
    assert not Objection.objects.filter(body="第六条").exists() and Objection.objects.count() == 5
    assert AuditEvent.objects.filter(action="ratelimit.refused", object_id=f"{published.pk}:{first.pk}").count() == 1
    # The same address on another item, the whole list, and another address on this item.
    assert Client().post(url, objection(second)).status_code == 302
    assert Client().post(url, objection()).status_code == 302
    assert Client().post(url, objection(first), REMOTE_ADDR="198.51.100.8").status_code == 302
    # Beijing midnight starts a new day.
    time_machine.move_to(at("2026-06-19 00:00:00"), tick=False)
    assert Client().post(url, objection(first, body="次日")).status_code == 302


def test_only_stored_objections_count_towards_the_item_limit(published, settings, time_machine):
    settings.RATE_LIMIT_OBJECTION_PER_ITEM = "2/d"
    url = f"/public/gongshi/{published.pk}/objection/"
    item = published.items.first()
    for _ in range(3):  # an attachment that is not a PDF: told why, nothing stored, not counted
        response = Client().post(url, objection(item, files=[
            SimpleUploadedFile("证明.pdf", EXE, content_type="application/pdf")]))
        assert response.status_code == 200 and "按文件内容判断" in response.content.decode()
    for _ in range(2):
        assert Client().post(url, objection(item)).status_code == 302
    refused = Client().post(url, objection(item))
    assert refused.status_code == 429 and "每天 2 次" in refused.content.decode()
    assert Objection.objects.count() == 2


def test_public_xlsx_downloads_are_limited_and_each_refusal_writes_no_export_row(published, settings):
    settings.RATE_LIMIT_PUBLIC_DOWNLOAD = "2/m"
    url = f"/public/gongshi/{published.pk}.xlsx"
    assert Client().get(url).status_code == 200
    assert Client().get(url).status_code == 200
    for _ in range(5):
        refused = Client().get(url)
        assert refused.status_code == 429
    text = refused.content.decode()
    assert "请求过于频繁" in text and "填写的内容没有保存" not in text  # a download, not a form
    assert AuditEvent.objects.filter(action="decisions.publication_export").count() == 2
    assert AuditEvent.objects.filter(action="ratelimit.refused").count() == 1  # a flood is one row, not five
