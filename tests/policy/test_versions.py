"""Pack versions (补充通知): loaded by the province, audited with the diff, in force at once,
recorded in every submission snapshot, and rolled back — to the second, on a frozen clock."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from duixian.authz.roles import Role
from duixian.applications.models import ApplicationState, Submission
from duixian.applications.services import application_create, application_save_answers, application_submit
from duixian.applications.workflow import TransitionError
from duixian.audit.models import AuditEvent
from duixian.policy.active import current_pack
from duixian.policy.models import PackVersion
from duixian.policy.pack import DEFAULT_PACK_PATH, default_pack
from duixian.policy.services import PackVersionError, pack_version_activate, pack_version_load
from tests.applications.conftest import CLAUSE2_ANSWERS, at, fill_materials

pytestmark = pytest.mark.django_db

SHIPPED = DEFAULT_PACK_PATH.read_text(encoding="utf-8")
NOTE = "关于延长2026年度政策兑现申报时间的补充通知"


def supplement(version="2026.2", close="2026-05-08T23:59:00+08:00", deadline="2026-05-10T17:00:00+08:00",
               text=SHIPPED) -> str:
    """The shipped pack as a 补充通知 would change it: a new version, a later close (and city deadline)."""
    out = text.replace('version: "2026.1"', f'version: "{version}"')
    out = out.replace('application_close: "2026-05-05T23:59:00+08:00"', f'application_close: "{close}"')
    out = out.replace('city_review_deadline: "2026-05-07T17:00:00+08:00"', f'city_review_deadline: "{deadline}"')
    assert out != text
    return out


def draft(user, project):
    app = application_create(user=user, clause="2", project_name=project)
    app = application_save_answers(app, dict(CLAUSE2_ANSWERS), user=user)
    fill_materials(app, user)
    return app


def submit(app, user, token):
    return application_submit(app, user=user, token=token, declaration=True)


def upload(client, text: str, note: str = NOTE, name: str = "anhui-2026.2.yaml"):
    return client.post("/policy/versions/", {
        "note": note, "file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="application/yaml"),
    })


def test_supplement_extends_the_window_snapshots_keep_their_version_and_rollback_refuses_again(
    client, login, users, time_machine
):
    applicant, province = users["hefei_applicant"], users["province"]
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    early = submit(draft(applicant, "早先提交的场景项目"), applicant, "early")
    late = draft(applicant, "补充通知后提交的场景项目")
    later = draft(applicant, "回退后提交的场景项目")
    early_snapshot = early.submissions.get()
    assert early_snapshot.pack_version == "2026.1" and early_snapshot.pack_digest == default_pack().digest

    # Before the 补充通知: one hour after the old close is refused.
    time_machine.move_to(at("2026-05-06 00:59:00"), tick=False)
    with pytest.raises(TransitionError, match="2026年5月5日 23:59"):
        submit(late, applicant, "late-refused")

    # The province uploads the 补充通知, sees the diff, and only then confirms.
    login(client, province)
    preview = upload(client, supplement())
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "2026年5月5日 23:59:00" in page and "2026年5月8日 23:59:00" in page and "确认加载并启用版本 2026.2" in page
    # The pack's own boundary case still names the old close: a warning, not a refusal.
    assert "文件自带的测试用例有 2 个未通过" in page and "#29 关闭时刻 5月5日23:59:00 不受理" in page
    assert not PackVersion.objects.exists() and current_pack().version == "2026.1"  # nothing yet
    confirm = {name: preview.context["confirm"].initial[name] for name in ("yaml_text", "digest", "note")}
    # A browser sends hidden fields back with CRLF line ends: still the digest that was shown.
    confirm["yaml_text"] = confirm["yaml_text"].replace("\n", "\r\n")
    response = client.post("/policy/versions/confirm/", confirm, follow=True)
    assert "政策包版本 2026.2 已加载并启用" in response.content.decode()
    assert current_pack().version == "2026.2"
    active = PackVersion.objects.get(is_active=True)
    assert (active.version, active.note, active.loaded_by) == ("2026.2", NOTE, province)
    assert active.digest == current_pack().digest != default_pack().digest
    # The shipped file was recorded as 2026.1 on the way, so it can be put back.
    assert PackVersion.objects.get(version="2026.1", is_active=False).digest == default_pack().digest

    # The load is in the audit trail with old and new version and digest and what changed.
    event = AuditEvent.objects.get(action="policy.pack_load", detail__new_version="2026.2")
    assert event.username == province.username
    assert (event.detail["old_version"], event.detail["old_digest"]) == ("2026.1", default_pack().digest)
    assert event.detail["new_digest"] == active.digest and event.detail["note"] == NOTE
    assert [c.split("：")[0] for c in event.detail["failed_cases"]] == [
        "#29 关闭时刻 5月5日23:59:00 不受理", "#30 关闭时刻 UTC表示 15:59:00Z 不受理"]
    close = next(c for c in event.detail["changes"] if c["key"] == "application_close")
    assert (close["old"], close["new"]) == ("2026年5月5日 23:59:00", "2026年5月8日 23:59:00")

    # One hour after the old close, the late draft is accepted now, and its snapshot says 2026.2.
    late = submit(late, applicant, "late")
    assert late.state == ApplicationState.SUBMITTED
    late_snapshot = late.submissions.get()
    assert (late_snapshot.pack_version, late_snapshot.pack_digest) == ("2026.2", active.digest)
    window_rule = next(r for r in late_snapshot.verdict["rules"] if r["id"] == "common.submitted_in_window")
    assert window_rule["outcome"] == "pass"
    # The earlier snapshot still says 2026.1, on the page too.
    early_snapshot.refresh_from_db()
    assert (early_snapshot.pack_version, early_snapshot.pack_digest) == ("2026.1", default_pack().digest)
    login(client, applicant)
    assert "依据政策包 2026.1" in client.get(f"/applications/{early.pk}/status/").content.decode()
    assert "依据政策包 2026.2" in client.get(f"/applications/{late.pk}/status/").content.decode()

    # Rolling back to 2026.1 (diff shown first) refuses a late submission again.
    login(client, province)
    shipped_row = PackVersion.objects.get(version="2026.1")
    shown = client.get(f"/policy/versions/{shipped_row.pk}/activate/").content.decode()
    assert "确认启用版本 2026.1" in shown and "2026年5月8日 23:59:00" in shown
    assert current_pack().version == "2026.2"
    client.post(f"/policy/versions/{shipped_row.pk}/activate/")
    assert current_pack().version == "2026.1"
    rollback = AuditEvent.objects.get(action="policy.pack_activate")
    assert (rollback.detail["old_version"], rollback.detail["new_version"]) == ("2026.2", "2026.1")
    with pytest.raises(TransitionError, match="2026年5月5日 23:59"):
        submit(later, applicant, "later")
    later.refresh_from_db()
    assert later.state == ApplicationState.DRAFT
    assert Submission.objects.filter(pack_version="2026.2").count() == 1  # the accepted one keeps its version


def test_the_list_marks_the_active_version_and_every_version_downloads(client, login, users):
    province = users["province"]
    pack_version_load(supplement(), user=province, note=NOTE)
    login(client, province)
    page = client.get("/policy/versions/").content.decode()
    assert 'data-version="2026.2" class="active"' in page and 'data-version="2026.1"' in page
    assert NOTE in page and "随程序发布的政策包" in page
    for row in PackVersion.objects.all():
        response = client.get(f"/policy/versions/{row.pk}/yaml/")
        assert response.status_code == 200 and response.content.decode("utf-8") == row.yaml_text
        assert f"{row.batch_id}-{row.version}.yaml" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="policy.pack_download").count() == 2


def test_a_bad_pack_is_refused_with_its_places_and_nothing_changes(client, login, users):
    province = users["province"]
    login(client, province)
    # A close after the city deadline, and a misspelt fact in a rule.
    bad = supplement(close="2026-05-09T23:59:00+08:00", deadline="2026-05-07T17:00:00+08:00")
    bad = bad.replace('expr: "org.kind', 'expr: "org.knd', 1)
    response = upload(client, bad)
    page = response.content.decode()
    assert response.status_code == 400
    assert "windows.city_review_deadline（第31行）：市级推荐截止时间不能早于申报关闭时间" in page
    assert "未知的字段：knd（是否为 kind？）" in page and "error-summary" in page
    assert not PackVersion.objects.exists() and current_pack().version == "2026.1"
    assert not AuditEvent.objects.filter(action__startswith="policy.pack").exists()

    # Well-formed but not a new version of this batch: each problem with its place.
    with pytest.raises(PackVersionError) as refused:
        pack_version_load(supplement(version="2026.1"), user=province, note=NOTE)
    assert [p.place for p in refused.value.problems] == ["batch.version"]
    assert refused.value.problems[0].line == 15 and "2026.2" in refused.value.problems[0].message
    with pytest.raises(PackVersionError, match="2 处错误"):
        pack_version_load(bad, user=province, note=NOTE)
    assert not PackVersion.objects.exists() and current_pack().version == "2026.1"

    # Once 2026.2 is in force, the same file again is refused (same version, same text).
    pack_version_load(supplement(), user=province, note=NOTE)
    response = upload(client, supplement())
    page = response.content.decode()
    assert response.status_code == 400 and "版本 2026.2 已存在" in page and "与现行版本的文件完全相同" in page
    assert PackVersion.objects.count() == 2


def test_a_confirmation_for_another_text_is_refused(client, login, users):
    login(client, users["province"])
    preview = upload(client, supplement())
    confirm = {name: preview.context["confirm"].initial[name] for name in ("yaml_text", "digest", "note")}
    confirm["yaml_text"] = supplement(version="2026.3", close="2026-05-09T23:59:00+08:00")
    response = client.post("/policy/versions/confirm/", confirm)
    assert response.status_code == 409 and "确认的文件与预览的文件不一致" in response.content.decode()
    assert not PackVersion.objects.exists()


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.PROVINCE])
def test_only_the_province_may_load(client, login, users, role):
    user = next(u for u in users.values() if u.role == role)
    login(client, user)
    assert client.get("/policy/versions/").status_code == 404
    assert upload(client, supplement()).status_code == 404
    assert client.post("/policy/versions/confirm/", {"yaml_text": supplement(), "digest": "x", "note": NOTE}).status_code == 404
    with pytest.raises(PackVersionError, match="只有省科技厅"):
        pack_version_load(supplement(), user=user, note=NOTE)
    assert not PackVersion.objects.exists() and current_pack().version == "2026.1"


def test_only_the_province_may_roll_back_or_download(client, login, users):
    row = pack_version_load(supplement(), user=users["province"], note=NOTE)
    shipped = PackVersion.objects.get(version="2026.1")
    login(client, users["hefei_clerk"])
    assert client.post(f"/policy/versions/{shipped.pk}/activate/").status_code == 404
    assert client.get(f"/policy/versions/{row.pk}/yaml/").status_code == 404
    with pytest.raises(PackVersionError, match="只有省科技厅"):
        pack_version_activate(shipped.pk, users["hefei_clerk"])
    assert current_pack().version == "2026.2"
    client.logout()
    assert client.get("/policy/versions/").status_code == 302  # to the login page


def test_the_province_dashboard_links_to_the_versions(client, login, users):
    login(client, users["province"])
    page = client.get("/dashboard/").content.decode()
    assert "/policy/versions/" in page and "现行版本 2026.1" in page
    login(client, users["hefei_clerk"])
    assert "/policy/versions/" not in client.get("/dashboard/").content.decode()


def test_pack_load_command_records_the_shipped_pack_once(tmp_path, capsys):
    call_command("pack", "load", str(DEFAULT_PACK_PATH), "--note", "2026年度政策兑现申报通知")
    call_command("pack", "load", str(DEFAULT_PACK_PATH), "--note", "again")
    assert list(PackVersion.objects.values_list("version", "is_active", "note")) == [
        ("2026.1", True, "2026年度政策兑现申报通知")]
    second = tmp_path / "anhui-2026.2.yaml"
    second.write_text(supplement(), encoding="utf-8")
    call_command("pack", "load", str(second), "--note", NOTE)
    call_command("pack", "load", str(DEFAULT_PACK_PATH))  # already stored: does not roll back
    out = capsys.readouterr().out
    assert "已载入并启用：批次 anhui-agi-2.0-2026 版本 2026.2" in out and "已载入过，未改动" in out
    assert current_pack().version == "2026.2" and PackVersion.objects.count() == 2
    event = AuditEvent.objects.get(action="policy.pack_load", detail__new_version="2026.2")
    assert event.username == "（命令行）" and event.detail["old_version"] == "2026.1"


def test_pack_load_command_reports_every_problem_and_exits_1(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(supplement(deadline="2026-05-07T17:00:00+08:00"), encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        call_command("pack", "load", str(bad))
    assert exited.value.code == 1
    assert "windows.city_review_deadline（第31行）" in capsys.readouterr().err
    assert not PackVersion.objects.exists()


def test_demo_records_the_shipped_pack_as_2026_1(settings):
    from duixian.demo.loader import load_demo

    load_demo()
    load_demo()
    assert list(PackVersion.objects.values_list("version", "is_active")) == [("2026.1", True)]


def test_current_pack_adds_no_query_per_call(users, django_assert_num_queries):
    """One query for the active digest, then none: a list asking per row costs nothing more."""
    pack_version_load(supplement(), user=users["province"], note=NOTE)
    from django.core.cache import cache

    cache.clear()
    current_pack()  # parse once per process (not what is measured)
    cache.clear()
    with django_assert_num_queries(1):
        for _ in range(500):
            assert current_pack().version == "2026.2"
    start = time.perf_counter()
    for _ in range(2000):
        current_pack()
    assert (time.perf_counter() - start) / 2000 < 0.001  # well under a millisecond a call


def test_inside_a_request_the_pack_is_read_once(users, django_assert_num_queries):
    from django.core.cache import cache
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    pack_version_load(supplement(), user=users["province"], note=NOTE)
    current_pack()  # parsed once per process (not what is measured)
    cache.clear()
    # As Django's test client does: the request signals without closing the test's connection.
    request_started.disconnect(close_old_connections)
    request_started.send(sender=None)
    request_started.connect(close_old_connections)
    try:
        with django_assert_num_queries(1):
            current_pack()
        cache.clear()  # even when the cached digest expires mid-request: same pack, no query
        with django_assert_num_queries(0):
            for _ in range(100):
                assert current_pack().version == "2026.2"
    finally:
        request_finished.disconnect(close_old_connections)
        request_finished.send(sender=None)
        request_finished.connect(close_old_connections)


def test_a_pinned_job_keeps_its_pack_when_the_province_loads_a_new_one(users):
    from duixian.policy.active import pack_pinned

    with pack_pinned() as pack:
        pack_version_load(supplement(), user=users["province"], note=NOTE)
        assert pack.version == "2026.1"
        # forget_active() drops the memo of the job that loaded; another job keeps its own.
    with pack_pinned() as pack:
        assert pack.version == "2026.2" and current_pack() is pack
