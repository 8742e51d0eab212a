"""Anyone with a 受理编号 AND the organisation's 统一社会信用代码 sees the public status, no more."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from duixian.audit.models import AuditEvent

URL = reverse("tracking:lookup")


def _lookup(client, reference, uscc):
    return client.get(URL, {"reference": reference, "uscc": uscc})


def test_reference_and_code_show_the_status_without_login(recommended):
    app = recommended[0]
    page = _lookup(Client(), app.reference.lower(), " 91340100ma2rxh7q95 ").content.decode()
    assert 'id="status-result"' in page
    assert app.reference in page and "医院影像辅助诊断大模型应用" in page and "市级已推荐" in page
    assert "省科技厅组织评审并作出决定" in page  # the current stage's next step
    # no personal data, no amount before the 公示
    assert "张晓明" not in page and "13912346594" not in page
    assert "24.00" not in page and "拟申请兑现金额" not in page


def test_no_such_reference_and_a_wrong_code_get_the_same_answer(recommended):
    app = recommended[0]
    unknown = _lookup(Client(), "DX2026-340100-999999", "91340100MA2RXH7Q95").content.decode()
    wrong_code = _lookup(Client(), app.reference, "91340200MA2N8K3L1T").content.decode()
    assert 'id="status-not-found"' in unknown

    def answer(page, reference, code):  # the page's main part, with what the visitor typed blanked out
        main = page.split('id="status-lookup-form"')[1].split("<footer")[0]
        return main.replace(reference, "REF").replace(code, "CODE")

    assert answer(unknown, "DX2026-340100-999999", "91340100MA2RXH7Q95") == answer(
        wrong_code, app.reference, "91340200MA2N8K3L1T")
    assert "医院影像" not in wrong_code


def test_every_lookup_is_audited(recommended):
    app = recommended[0]
    _lookup(Client(), app.reference, "91340100MA2RXH7Q95")
    _lookup(Client(), app.reference, "91340200MA2N8K3L1T")
    events = list(AuditEvent.objects.filter(action="tracking.status_lookup").order_by("pk"))
    assert [(e.outcome, e.object_id, e.detail["reference"]) for e in events] == [
        ("success", str(app.pk), app.reference), ("failure", "", app.reference)]


def test_the_lookup_is_rate_limited_per_address(recommended, settings):
    settings.RATE_LIMIT_STATUS_LOOKUP = "3/m"
    client = Client()
    answers = [_lookup(client, "DX2026-340100-00000%d" % i, "91340100MA2RXH7Q95").status_code for i in range(5)]
    assert answers == [200, 200, 200, 429, 429]


def test_a_published_application_shows_the_published_amount(published):
    item = published.items.first()
    page = _lookup(Client(), item.application.reference, item.application.organisation.uscc).content.decode()
    assert "公示兑现金额（万元）" in page and str(item.amount_wan) in page
    assert "公示期：2026年6月18日至2026年6月25日（5个工作日）" in page


def test_a_short_code_is_refused_by_the_form_without_a_lookup(recommended):
    page = _lookup(Client(), recommended[0].reference, "913401").content.decode()
    assert "统一社会信用代码为18位" in page
    assert not AuditEvent.objects.filter(action="tracking.status_lookup").exists()


def test_a_malformed_lookup_rate_stops_start_up(settings):
    from duixian.core import checks

    settings.RATE_LIMIT_STATUS_LOOKUP = "10/w"
    assert [e.id for e in checks.rate_limits_are_readable(None)] == ["duixian.E003"]
