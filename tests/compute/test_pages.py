"""The compute pages: the province imports (background task), runs, reviews, publishes and
answers objections; each organisation sees only its own published result, confirms or objects
within the period. Exports and the breakdown are checked against the run's totals."""

from __future__ import annotations

import io
import pathlib
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from duixian.audit.models import AuditEvent
from duixian.compute.demo import SAMPLE, load_demo_compute
from duixian.compute.engine import BUCKETS
from duixian.compute.models import (
    ComputeJob,
    JobStatus,
    MeteringImport,
    SubsidyObjection,
    SubsidyResult,
    SubsidyRun,
)
from duixian.compute.services import compute_job_execute, metering_import, subsidy_result_breakdown, subsidy_run
from duixian.core.clock import SHANGHAI

pytestmark = pytest.mark.django_db

HEFEI, WUHU = "91340100MA2RXH7Q95", "91340200MA2N8K3L1T"
MOMENT = datetime(2026, 5, 10, 9, 0, tzinfo=SHANGHAI)
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
       b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def frozen():
    with time_machine.travel(MOMENT, tick=False) as traveller:
        yield traveller


@pytest.fixture
def run(users, frozen):
    metering_import(SAMPLE, original_name=SAMPLE.name)
    return subsidy_run(user=users["province"])


def _client(client, login, user):
    return login(client, user)


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _publish(client, run, last_day=date(2026, 5, 20)):
    return client.post(reverse("compute:run_publish", args=[run.pk]), {"objection_last_day": last_day.isoformat()})


# --- who sees what ----------------------------------------------------------------------------


def test_province_pages_are_the_provinces_only(client, login, users, run):
    urls = [reverse("compute:home"), reverse("compute:run", args=[run.pk]), reverse("compute:objections"),
            reverse("compute:run_export", args=[run.pk]),
            reverse("compute:result", args=[run.results.get(uscc=HEFEI).pk])]
    for key in ("hefei_applicant", "hefei_clerk", "expert", "system_admin", "security_admin", "audit_admin"):
        c = login(client.__class__(), users[key])
        for url in urls:
            assert c.get(url).status_code == 404, (key, url)
        assert c.post(reverse("compute:run_start")).status_code == 404
    province = login(client, users["province"])
    for url in urls:
        assert province.get(url).status_code == 200, url
    assert ComputeJob.objects.count() == 0  # the refused POSTs started nothing


def test_organisation_sees_nothing_before_publication_and_only_its_own_after(client, login, users, run):
    hefei = login(client.__class__(), users["hefei_applicant"])
    page = hefei.get(reverse("compute:mine"))
    assert "尚未发布" in page.content.decode()
    assert hefei.get(reverse("compute:mine_statement")).status_code == 404
    _publish(login(client, users["province"]), run)
    body = hefei.get(reverse("compute:mine")).content.decode()
    assert HEFEI in body and "717.5" in body and WUHU not in body.split("按算力提供方")[0]
    wuhu = login(client.__class__(), users["wuhu_applicant"])
    body = wuhu.get(reverse("compute:mine")).content.decode()
    assert "算力补助量（使用量−被使用量）不大于0，不予补助" in body and "717.5" not in body
    # the province's pages stay closed to organisations, whatever the id
    assert hefei.get(reverse("compute:result", args=[run.results.get(uscc=WUHU).pk])).status_code == 404
    assert hefei.get(reverse("compute:result_statement", args=[run.results.get(uscc=HEFEI).pk])).status_code == 404


def test_dashboard_leads_the_organisation_to_its_published_result(client, login, users, run):
    hefei = login(client, users["hefei_applicant"])
    assert reverse("compute:mine") not in hefei.get(reverse("core:dashboard")).content.decode()
    _publish(login(client.__class__(), users["province"]), run)
    body = hefei.get(reverse("core:dashboard")).content.decode()
    assert reverse("compute:mine") in body and "算力补助量 717.5 卡时" in body


# --- upload, background import, refused files ------------------------------------------------


def test_upload_runs_in_the_background_with_progress_and_is_listed(client, login, users, frozen):
    province = login(client, users["province"])
    response = province.post(reverse("compute:upload"), {"file": _upload("计量-2026.csv", SAMPLE.read_bytes())})
    job = ComputeJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("compute:job", args=[job.pk])
    assert job.status == JobStatus.QUEUED and job.task_id is not None
    page = province.get(reverse("compute:job", args=[job.pk]))
    assert 'hx-trigger="every 2s"' in page.content.decode() and "排队中" in page.content.decode()
    from django.conf import settings as live

    uploads = pathlib.Path(live.METERING_ROOT) / "uploads"
    assert [p.name for p in uploads.iterdir()] == [pathlib.PurePosixPath(job.upload).name]
    compute_job_execute(job.pk, task_id=job.task_id)  # what the worker does
    page = province.get(reverse("compute:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "导入完成：文件 30 行，新增 30 条" in page and "every 2s" not in page
    from duixian.ops.models import TaskProgress

    progress = TaskProgress.objects.get(task_id=job.task_id)
    assert (progress.done, progress.total) == (3, 3)
    home = province.get(reverse("compute:home")).content.decode()
    assert "计量-2026.csv" in home and "网页上传" in home and users["province"].username in home
    from pathlib import Path

    from django.conf import settings

    assert not list((Path(settings.METERING_ROOT) / "uploads").glob("*"))  # the uploaded copy is gone


def test_refused_upload_names_every_bad_line_in_chinese_and_stores_nothing(client, login, users, frozen):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",80.5,", ",-3,")
    lines[4] = lines[4].replace("+08:00,2026-01-16", ",2026-01-16").replace("2026-01-15T10:00:00,", "2026-01-15T10:00:00,")
    lines[4] = lines[4].replace("2026-01-15T10:00:00+08:00", "2026-01-15T10:00:00")
    content = ("\n".join(lines) + "\n").encode()
    province = login(client, users["province"])
    province.post(reverse("compute:upload"), {"file": _upload("bad.csv", content)})
    job = ComputeJob.objects.get()
    compute_job_execute(job.pk, task_id=job.task_id)
    body = province.get(reverse("compute:job", args=[job.pk])).content.decode()
    assert "文件未被接受" in body
    assert "第3行：“amount”不能为负数" in body
    assert "第5行：“started_at”没有时区偏移（如 +08:00）" in body
    assert MeteringImport.objects.count() == 0
    assert AuditEvent.objects.filter(action="metering.import", outcome="refused").count() == 1


def test_upload_refused_at_once_when_too_big_or_binary(client, login, users, settings, frozen):
    province = login(client, users["province"])
    response = province.post(reverse("compute:upload"), {"file": _upload("x.xlsx", b"PK\x03\x04\x00\x00binary")})
    assert response.status_code == 400 and "既不是CSV文本文件也不是Parquet文件" in response.content.decode()
    settings.METERING_UPLOAD_MAX_MB = 0
    response = province.post(reverse("compute:upload"), {"file": _upload("m.csv", SAMPLE.read_bytes())})
    assert response.status_code == 400 and "超过 0MB" in response.content.decode()
    assert ComputeJob.objects.count() == 0


def test_run_started_in_the_browser(client, login, users, frozen):
    metering_import(SAMPLE)
    province = login(client, users["province"])
    province.post(reverse("compute:run_start"))
    job = ComputeJob.objects.get()
    compute_job_execute(job.pk, task_id=job.task_id)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.run.results.count() == 6
    assert reverse("compute:run", args=[job.run.pk]) in province.get(reverse("compute:job", args=[job.pk])).content.decode()


# --- review: reasons and yuan amounts ----------------------------------------------------------


def test_run_page_shows_buckets_reasons_and_no_invented_amount(client, login, users, run):
    body = login(client, users["province"]).get(reverse("compute:run", args=[run.pk])).content.decode()
    assert "不在组织名单中（未登记的单位），不能享受补助" in body
    assert "算力补助量（使用量−被使用量）不大于0，不予补助" in body
    hefei = body.split(f'data-uscc="{HEFEI}"')[1].split("</tr>")[0]
    for value in ("858.5", "141", "717.5", ">15<", ">30<", ">25<", ">60<", ">40<", "待确认"):
        assert value in hefei, value
    assert "政策包未给出第三条的补助单价或比例" in hefei


def _pack_priced(price="null", price_ok="false", ratio="null", ratio_ok="false", unit="元/卡时"):
    """The shipped pack with the compute price and ratio set (values as YAML)."""
    from duixian.policy.pack import DEFAULT_PACK_PATH, load_pack_text

    text = DEFAULT_PACK_PATH.read_text(encoding="utf-8")
    text = text.replace("""    unit: 元/卡时
    values:
      - since: "2025-08-11"
        value: null
        confirmed: false""", f"""    unit: {unit}
    values:
      - since: "2025-08-11"
        value: {price}
        confirmed: {price_ok}""")
    text = text.replace("""    role: compute_ratio
    description: 第三条 算力补助比例
    unit: ratio
    values:
      - since: "2025-08-11"
        value: null
        confirmed: false""", f"""    role: compute_ratio
    description: 第三条 算力补助比例
    unit: ratio
    values:
      - since: "2025-08-11"
        value: {ratio}
        confirmed: {ratio_ok}""")
    return load_pack_text(text, "priced.yaml")


def test_yuan_amount_only_from_a_price_and_marked_while_unconfirmed():
    from duixian.compute.selectors import subsidy_amount_yuan

    q = Decimal("717.5")
    confirmed = subsidy_amount_yuan(q, _pack_priced('"2"', "true"))
    assert confirmed.amount == Decimal("1435.00") and str(confirmed.note) == "按单价 2 元/卡时计算"
    unconfirmed = subsidy_amount_yuan(q, _pack_priced('"2"'))
    assert unconfirmed.amount == Decimal("1435.00") and not unconfirmed.confirmed and "未确认" in unconfirmed.note
    ratio_only = subsidy_amount_yuan(q, _pack_priced(ratio='"0.2"', ratio_ok="true"))
    assert ratio_only.amount is None and "没有费用" in ratio_only.note
    nothing = subsidy_amount_yuan(q, _pack_priced())
    assert nothing.amount is None and str(nothing.note) == "政策包未给出第三条的补助单价或比例，金额待省科技厅确认"


def test_a_price_in_wan_per_unit_is_converted_by_its_unit():
    from duixian.compute.selectors import compute_money, subsidy_amount_yuan

    pack = _pack_priced('"0.0002"', "true", unit="万元/卡时")
    money = compute_money(pack)
    assert (money.price_unit, money.base_unit, money.price_yuan, money.clause) == ("万元/卡时", "卡时", Decimal("2.0000"), 3)
    assert subsidy_amount_yuan(Decimal("717.5"), pack).amount == Decimal("1435.00")


# --- publish, confirm, object, resolve, re-run ------------------------------------------------


def test_publish_confirm_object_resolve_and_rerun(client, login, users, run):
    province = login(client, users["province"])
    assert _publish(province, run, date(2026, 5, 9)).status_code == 400  # before today
    assert _publish(province, run).status_code == 302
    run.refresh_from_db()
    assert run.published_at == MOMENT and run.objection_last_day == date(2026, 5, 20)
    again = province.post(reverse("compute:run_publish", args=[run.pk]), {"objection_last_day": "2026-05-30"}, follow=True)
    assert "该计算已于2026年5月10日发布" in again.content.decode()
    run.refresh_from_db()
    assert run.objection_last_day == date(2026, 5, 20)

    hefei = login(client.__class__(), users["hefei_applicant"])
    hefei.post(reverse("compute:mine_confirm"))
    result = run.results.get(uscc=HEFEI)
    result.refresh_from_db()
    assert result.response == "confirmed" and result.responded_by == users["hefei_applicant"]
    assert "不能重复回复" in hefei.post(reverse("compute:mine_confirm"), follow=True).content.decode()

    wuhu = login(client.__class__(), users["wuhu_applicant"])
    bad = wuhu.post(reverse("compute:mine_object"), {"reason": "被使用量有误", "attachment": _upload("a.pdf", b"not a pdf")})
    assert bad.status_code == 400 and "不是 PDF、JPG 或 PNG 文件（按文件内容判断）" in bad.content.decode()
    empty = wuhu.post(reverse("compute:mine_object"), {"reason": " "})
    assert empty.status_code == 400 and "请写明异议的理由" in empty.content.decode()
    ok = wuhu.post(reverse("compute:mine_object"), {"reason": "DEMO-2026-0001 由本单位自用，不应计为被使用量",
                                                     "attachment": _upload("证明.png", PNG)})
    assert ok.status_code == 302
    objection = SubsidyObjection.objects.get()
    assert objection.result.uscc == WUHU and objection.attachment_type == "image/png"
    assert wuhu.get(reverse("compute:objection_attachment", args=[objection.pk])).status_code == 200
    assert hefei.get(reverse("compute:objection_attachment", args=[objection.pk])).status_code == 404

    resolve = reverse("compute:objection_resolve", args=[objection.pk])
    assert province.post(resolve, {"outcome": "upheld", "answer": ""}).status_code == 400
    assert province.post(resolve, {"outcome": "upheld", "answer": "经核实，将修正计量数据后重新计算。"}).status_code == 302
    objection.refresh_from_db()
    assert objection.status == "resolved" and objection.resolved_by == users["province"]
    assert "经核实，将修正计量数据后重新计算。" in wuhu.get(reverse("compute:mine")).content.decode()

    rerun = subsidy_run(user=users["province"])
    assert _publish(province, rerun, date(2026, 5, 25)).status_code == 302
    page = wuhu.get(reverse("compute:mine")).content.decode()
    assert f"计算#{rerun.pk}" in page and 'id="confirm-form"' in page  # may answer the new result
    for action in ("subsidy.publish", "subsidy.confirm", "subsidy.object", "subsidy.objection_resolve"):
        assert AuditEvent.objects.filter(action=action).exists(), action


def test_objection_after_the_period_is_refused_with_a_clear_message(client, login, users, run, frozen):
    _publish(login(client, users["province"]), run, date(2026, 5, 20))
    frozen.move_to(datetime(2026, 5, 21, 0, 0, 0, tzinfo=SHANGHAI))
    wuhu = login(client.__class__(), users["wuhu_applicant"])  # signed in afresh: sessions expire
    response = wuhu.post(reverse("compute:mine_object"), {"reason": "太晚了"}, follow=True)
    # back to the page of the result's own batch
    assert response.redirect_chain == [(reverse("compute:mine") + f"?batch={run.batch_id}", 302)]
    assert "确认和异议期已于2026年5月20日 24:00 结束，不再受理确认或异议" in response.content.decode()
    assert SubsidyObjection.objects.count() == 0
    frozen.move_to(datetime(2026, 5, 20, 23, 59, 59, tzinfo=SHANGHAI))  # the last second still counts
    wuhu = login(client.__class__(), users["wuhu_applicant"])
    assert wuhu.post(reverse("compute:mine_object"), {"reason": "最后一秒"}).status_code == 302
    assert SubsidyObjection.objects.count() == 1


# --- exports and the breakdown ----------------------------------------------------------------


def test_subsidy_list_xlsx_has_chinese_headers_and_the_results(client, login, users, run):
    from openpyxl import load_workbook

    response = login(client, users["province"]).get(reverse("compute:run_export", args=[run.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    ws = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in ws[3]]
    assert headers[:6] == ["序号", "统一社会信用代码", "单位名称", "算力使用量（卡时）", "算力被使用量（卡时）", "净使用量（卡时）"]
    assert "算力补助量（卡时）" in headers and "补助金额（元）" in headers
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert set(rows) == {r.uscc for r in run.results.all()}
    hefei = dict(zip(headers, rows[HEFEI]))
    assert hefei["单位名称"] == "合肥测试科技有限公司" and hefei["算力补助量（卡时）"] == 717.5
    assert hefei["是否符合条件"] == "是" and hefei["补助金额（元）"] == "待确认"
    assert AuditEvent.objects.filter(action="subsidy.export_list").count() == 1


def test_statement_docx_for_the_province_and_the_organisation(client, login, users, run):
    from docx import Document

    result = run.results.get(uscc=HEFEI)
    response = login(client, users["province"]).get(reverse("compute:result_statement", args=[result.pk]))
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "算力补助（免申即享）结果告知单" in text and HEFEI in text
    assert "依据：《若干政策（2.0版）》第三条“降低算力使用成本”（免申即享）；计算#" in text  # the pack's words
    assert "717.5 卡时" in cells and "2025-09" in cells
    _publish(client, run)
    mine = login(client.__class__(), users["hefei_applicant"]).get(reverse("compute:mine_statement"))
    assert mine.status_code == 200 and HEFEI in "\n".join(p.text for p in Document(io.BytesIO(mine.content)).paragraphs)
    assert AuditEvent.objects.filter(action="subsidy.export_statement").count() == 2


def test_breakdown_by_month_and_provider_adds_up_to_the_totals(run):
    for result in run.results.all():
        b = subsidy_result_breakdown(result)
        assert sum(Decimal(m["used"]) for m in b["months"]) == result.used, result.uscc
        assert sum(Decimal(m["provided"]) for m in b["months"]) == result.provided, result.uscc
        assert sum(Decimal(p["used"]) for p in b["providers"]) == result.used, result.uscc
        assert sum(Decimal(u["provided"]) for u in b["users"]) == result.provided, result.uscc
        for bucket in BUCKETS:
            total = getattr(result, f"excluded_{bucket}")
            assert sum(Decimal(m["excluded"][bucket]) for m in b["months"]) == total, (result.uscc, bucket)
            assert sum(Decimal(p["excluded"][bucket]) for p in b["providers"]) == total, (result.uscc, bucket)
    hefei = SubsidyResult.objects.get(run=run, uscc=HEFEI).breakdown
    months = {m["month"]: m for m in hefei["months"]}
    # 2025-08-15T23:59:59+08:00 is August in Beijing (outside the period); 2026-04-15T15:59:59Z is April 15th
    assert months["2025-08"]["excluded"]["outside_period"] == "5" and months["2025-08"]["used"] == "150"
    assert months["2026-04"]["used"] == "118.75" and months["2026-04"]["excluded"]["outside_period"] == "10"


def test_demo_compute_is_idempotent(users, frozen):
    first = load_demo_compute()
    second = load_demo_compute()
    assert first["imported"] and first["ran"] and not second["imported"] and not second["ran"]
    assert MeteringImport.objects.count() == 1 and SubsidyRun.objects.count() == 1


def test_run_page_marks_another_kind_of_unit_for_the_province(client, login, users, run):
    """三（二）"…等": a unit refused only for its kind is shown 待省科技厅确认 with the reason."""
    from duixian.compute.engine import OTHER_KIND_REASON

    result = SubsidyResult.objects.get(run=run, uscc=HEFEI)
    result.eligible, result.reasons = False, [f"单位类型为园区运营单位：{OTHER_KIND_REASON}"]
    result.save()
    body = login(client, users["province"]).get(reverse("compute:run", args=[run.pk])).content.decode()
    hefei = body.split(f'data-uscc="{HEFEI}"')[1].split("</tr>")[0]
    assert "待省科技厅确认" in hefei and "不符合条件" not in hefei
    assert "其他类型单位，需省科技厅确认是否属于“等”所含范围" in hefei
