"""Several batches at once (issue 18 item 2): a second notice loaded through the province's page
runs beside the 2026 batch, and each batch keeps its own pack, windows and data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duixian.policy.active import batches, current_pack, open_batches, pack_of
from duixian.policy.models import PackVersion
from duixian.policy.pack import default_pack
from tests.applications.conftest import at

pytestmark = pytest.mark.django_db

SECOND = Path(__file__).parent / "packs" / "made-up-2027.yaml"
SHIPPED_BATCH = default_pack().batch_id


def cap(verdict) -> Decimal:
    """The verdict's cap in 万元 (a dict before the typed verdict of issue 18 item 3, then a Verdict)."""
    return Decimal(str(verdict["max_amount_wan"] if isinstance(verdict, dict) else verdict.max_amount_wan))


def load_second(client, login, province):
    """The province uploads the made-up 2027 notice, reads the preview and confirms it."""
    login(client, province)
    text = SECOND.read_text(encoding="utf-8")
    preview = client.post("/policy/versions/", {
        "note": "（虚构）2027年度通知",
        "file": SimpleUploadedFile("made-up-2027.yaml", text.encode("utf-8"), content_type="application/yaml"),
    })
    assert preview.status_code == 200, preview.content.decode()
    page = preview.content.decode()
    assert "这是一个新批次（made-up-2027）" in page
    confirm = client.post("/policy/versions/confirm/", {
        "yaml_text": text, "digest": preview.context["preview"].pack.digest, "note": "（虚构）2027年度通知",
    })
    assert confirm.status_code == 302
    return confirm


def test_a_second_notice_loaded_through_the_page_runs_beside_the_2026_batch(client, login, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    load_second(client, login, users["province"])

    assert [p.batch_id for p in batches()] == [SHIPPED_BATCH, "made-up-2027"]
    assert pack_of("made-up-2027").version == "2027.1-test"
    assert pack_of(SHIPPED_BATCH) is default_pack()  # the 2026 batch still runs on its own pack
    assert PackVersion.objects.get(batch_id="made-up-2027").is_active
    # In April 2026 the 2026 batch is the one taking applications, and the default.
    assert [p.batch_id for p in open_batches(at("2026-04-20 10:00:00"))] == [SHIPPED_BATCH]
    assert current_pack().batch_id == SHIPPED_BATCH

    page = client.get("/policy/versions/").content.decode()
    assert 'data-batch="anhui-agi-2.0-2026"' in page and 'data-batch="made-up-2027"' in page


def test_the_default_batch_follows_the_platform_clock(client, login, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    load_second(client, login, users["province"])
    time_machine.move_to(at("2026-12-01 10:00:00"), tick=False)  # between the two: the last opened
    assert current_pack().batch_id == SHIPPED_BATCH and open_batches(at("2026-12-01 10:00:00")) == []
    time_machine.move_to(at("2027-03-10 10:00:00"), tick=False)
    assert current_pack().batch_id == "made-up-2027"
    assert [p.batch_id for p in open_batches(at("2027-03-10 10:00:00"))] == ["made-up-2027"]
    time_machine.move_to(at("2027-03-31 18:00:00"), tick=False)  # the closing instant is closed
    assert open_batches(at("2027-03-31 18:00:00")) == []


def test_an_application_in_each_batch_is_judged_by_its_own_pack(client, login, users, time_machine):
    from duixian.applications.models import Application
    from duixian.applications.selectors import application_verdict
    from duixian.applications.workflow import in_window

    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    load_second(client, login, users["province"])
    org = users["hefei_applicant"].organisation
    answers = {"scene": {"status": "in_use", "development_investment_wan": "120"},
               "project": {"occurred_on": "2026-10-01"}}
    apps = {batch: Application.objects.create(organisation=org, city_code="340100", batch_id=batch, clause="2",
                                              project_name=f"场景项目 {batch}", facts=answers)
            for batch in (SHIPPED_BATCH, "made-up-2027")}
    apps = {batch: Application.objects.get(pk=app.pk) for batch, app in apps.items()}

    # 2026: 20% of 120万元 = 24万元; the made-up 2027 notice: 25% = 30万元.
    assert cap(application_verdict(apps[SHIPPED_BATCH])) == 24
    assert cap(application_verdict(apps["made-up-2027"])) == 30
    # Each batch's own window: in April 2026 the 2026 batch takes submissions, the 2027 one not yet.
    assert in_window("submit", apps[SHIPPED_BATCH])[0]
    allowed, why = in_window("submit", apps["made-up-2027"])
    assert not allowed and "2027年3月1日" in why


def test_the_home_page_and_dashboards_list_every_batch_with_its_own_windows(client, login, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    load_second(client, login, users["province"])
    client.logout()

    page = client.get("/").content.decode()
    assert 'data-batch="anhui-agi-2.0-2026"' in page and 'data-batch="made-up-2027"' in page
    # Each its own countdown: the 2026 close, and the 2027 opening.
    assert 'data-deadline="2026-05-05T23:59:00+08:00"' in page and 'data-deadline="2027-03-01T09:00:00+08:00"' in page
    assert "2027年3月1日 09:00 — 2027年3月31日 18:00" in page

    login(client, users["hefei_applicant"])
    page = client.get("/dashboard/").content.decode()
    assert 'data-batch="made-up-2027"' in page
    # Only the batch taking applications now offers 新建申报.
    assert f'/applications/new/?batch={SHIPPED_BATCH}' in page and "/applications/new/?batch=made-up-2027" not in page
    time_machine.move_to(at("2027-03-10 10:00:00"), tick=False)
    login(client, users["hefei_applicant"])
    page = client.get("/dashboard/").content.decode()
    assert "/applications/new/?batch=made-up-2027" in page and f"/applications/new/?batch={SHIPPED_BATCH}" not in page


def test_an_application_belongs_to_the_batch_it_was_started_in(client, login, users, time_machine):
    from duixian.applications.models import Application

    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    load_second(client, login, users["province"])
    login(client, users["hefei_applicant"])

    page = client.get("/applications/new/?batch=made-up-2027").content.decode()
    assert "申报批次：（虚构）2027 年度政策兑现申报" in page and "?batch=made-up-2027" in page
    client.post("/applications/new/", {"batch": "made-up-2027", "choice": "4", "project_name": "大赛成果转化项目"})
    client.post("/applications/new/", {"choice": "2", "project_name": "医院影像辅助诊断大模型应用"})
    made_up = Application.objects.get(project_name="大赛成果转化项目")
    shipped = Application.objects.get(project_name="医院影像辅助诊断大模型应用")
    assert (made_up.batch_id, made_up.pack_version) == ("made-up-2027", "2027.1-test")
    assert (shipped.batch_id, shipped.pack_version) == (SHIPPED_BATCH, "2026.1")
    # The same project may be applied for again under the other notice (not twice in one batch).
    client.post("/applications/new/", {"batch": "made-up-2027", "choice": "2", "project_name": shipped.project_name})
    client.post("/applications/new/", {"choice": "2", "project_name": shipped.project_name})
    assert sorted(Application.objects.filter(project_name=shipped.project_name).values_list("batch_id", flat=True)) == [
        SHIPPED_BATCH, "made-up-2027"]
    listing = client.get("/applications/").content.decode()
    assert listing.count("（虚构）2027 年度政策兑现申报") == 2  # each row names its notice
    # The 2027 draft's pages say its own batch's windows.
    page = client.get(f"/applications/{made_up.pk}/status/").content.decode()
    assert "2027年3月31日 18:00" in page and "2026年5月5日" not in page


def _recommended_in_second_batch(org, clerk, time_machine):
    """A 合肥 application of the made-up 2027 batch the city recommended (written directly: the
    2027 questions are not the subject here)."""
    from duixian.applications.models import Application, StateChange

    time_machine.move_to(at("2027-03-20 10:00:00"), tick=False)
    app = Application.objects.create(
        organisation=org, city_code="340100", batch_id="made-up-2027", pack_version="2027.1-test", clause="4",
        project_name="大赛成果转化项目", amount_requested_wan=50, state="recommended", reference="DX2027-340100-000099",
        first_submitted_at=at("2027-03-10 10:00:00"), last_submitted_at=at("2027-03-10 10:00:00"))
    StateChange.objects.create(application=app, action="recommend", from_state="submitted", to_state="recommended",
                               actor=clerk, at=at("2027-03-20 10:00:00"))
    return app


def test_work_lists_and_the_summary_table_are_per_batch(client, login, users, time_machine):
    from duixian.applications.workflow import application_transition
    from duixian.exports.models import ExportVersion
    from duixian.exports.summary import summary_data
    from tests.review.conftest import make_submitted

    clerk = users["hefei_clerk"]
    shipped = make_submitted(users["hefei_applicant"], "医院影像辅助诊断大模型应用", time_machine=time_machine)
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    application_transition(shipped, "recommend", clerk)
    login(client, clerk)
    before = client.get("/review/").content.decode()
    summary_before = summary_data("340100")
    load_second(client, login, users["province"])
    second = _recommended_in_second_batch(shipped.organisation, clerk, time_machine)

    # The 2026 batch's work and 汇总表 are as they were; the 2027 batch has its own.
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    assert summary_data("340100", pack=pack_of(SHIPPED_BATCH)) == summary_before
    assert [r.project_name for r in summary_data("340100", pack=pack_of("made-up-2027")).rows] == ["大赛成果转化项目"]

    login(client, clerk)
    page = client.get("/review/").content.decode()  # the default batch: 2026
    assert shipped.project_name in page and second.project_name not in page
    assert 'id="batch-selector"' in page and "?batch=anhui-agi-2.0-2026" in page
    assert page.count(shipped.project_name) == before.count(shipped.project_name)
    page = client.get("/review/?batch=made-up-2027").content.decode()
    assert second.project_name in page and shipped.project_name not in page

    # Each batch's 汇总表 download is numbered on its own and records its batch.
    assert client.get("/exports/city/340100/summary.xlsx?batch=made-up-2027").status_code == 200
    assert client.get("/exports/city/340100/summary.xlsx").status_code == 200
    assert sorted(ExportVersion.objects.values_list("batch_id", "number")) == [
        (SHIPPED_BATCH, 1), ("made-up-2027", 1)]


def test_the_deadline_sweep_follows_each_applications_batch(client, login, users, time_machine):
    from duixian.applications.models import Application
    from duixian.review.services import deadline_sweep, sweep_due
    from tests.review.conftest import make_submitted

    shipped = make_submitted(users["hefei_applicant"], "医院影像辅助诊断大模型应用", time_machine=time_machine)
    load_second(client, login, users["province"])
    second = Application.objects.create(
        organisation=shipped.organisation, city_code="340100", batch_id="made-up-2027", clause="4",
        project_name="大赛成果转化项目", state="submitted", first_submitted_at=at("2027-03-10 10:00:00"))

    time_machine.move_to(at("2026-05-07 17:00:00"), tick=False)  # the 2026 city deadline
    assert sweep_due()
    result = deadline_sweep()
    assert result.expired == [shipped.reference]
    shipped.refresh_from_db()
    second.refresh_from_db()
    assert (shipped.state, second.state) == ("expired", "submitted")
    assert not sweep_due()  # the 2027 application waits for its own deadline

    time_machine.move_to(at("2027-04-10 12:00:00"), tick=False)
    assert sweep_due() and deadline_sweep().expired == [str(second.pk)]


def test_the_self_check_asks_the_chosen_batch(client, login, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    load_second(client, login, users["province"])
    client.logout()
    answers = {"answered": "1", "scene__status": "in_use", "scene__development_investment_wan": "120"}

    page = client.get("/policy/2/", answers).content.decode()  # the default batch: 2026, 20%
    assert "24.00" in page
    page = client.get("/policy/2/", {**answers, "batch": "made-up-2027"}).content.decode()  # 25%
    assert "30.00" in page and 'name="batch" value="made-up-2027"' in page
    page = client.get("/policy/?batch=made-up-2027").content.decode()
    assert 'id="batch-selector"' in page and "/policy/2/?batch=made-up-2027" in page


def test_the_evaluate_api_takes_a_batch(client, login, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    load_second(client, login, users["province"])
    client.logout()
    facts = {"scene": {"status": "in_use", "development_investment_wan": "120"}, "project": {"occurred_on": "2026-10-01"},
             "submitted_at": "2027-03-10T10:00:00+08:00"}

    def evaluate(query):
        return client.post(f"/api/v1/evaluate{query}", data={"clause": 2, "facts": facts}, content_type="application/json")

    assert evaluate("?batch=made-up-2027").json()["max_amount_wan"] in ("30.00", "30")
    refused = evaluate("?batch=no-such-batch")
    assert refused.status_code == 422 and refused.json()["field"] == "batch"
