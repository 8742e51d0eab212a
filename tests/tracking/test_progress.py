"""Where is my application: each stage with its time limit from the pack and what happens next."""

from __future__ import annotations

from django.urls import reverse

from duixian.applications.services import application_create
from duixian.applications.workflow import application_transition
from duixian.tracking.progress import application_stages
from tests.applications.conftest import at


def _by_key(app):
    return {stage.key: stage for stage in application_stages(app)}


def test_a_submitted_application_waits_for_its_city_by_the_packs_deadline(recommended, users):
    app = recommended[0]
    app.state = "submitted"  # as before the clerk recommended it (not saved)
    stages = _by_key(app)
    assert [s.status for s in stages.values()] == ["done", "current", "upcoming", "upcoming", "upcoming"]
    assert stages["city"].time_limit.startswith("2026年5月7日 17:00前完成审核推荐")
    assert "合肥市科技局审核" in stages["city"].next_step
    assert stages["city"].contact == "合肥市科技局 0551-63538227"  # 附件1
    assert stages["apply"].time_limit == "2026年4月10日 08:00 开放，2026年5月5日 23:59 关闭"
    assert stages["province"].time_limit == "通知未规定时限"
    assert stages["publication"].time_limit == "公示期以省科技厅发布的公示为准"
    assert all(not s.next_step for key, s in stages.items() if key != "city")


def test_a_not_recommended_application_ends_at_the_city(users, time_machine):
    from tests.decisions.conftest import make_recommended

    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    app = make_recommended(users["hefei_applicant"], users["hefei_clerk"], "不推荐的项目", recommend=False)
    app = application_transition(app, "not_recommend", users["hefei_clerk"], reason="不符合二、（二）2")
    stages = _by_key(app)
    assert [s.status for s in stages.values()] == ["done", "ended", "not_reached", "not_reached", "not_reached"]
    assert stages["city"].next_step == "合肥市科技局不予推荐，本申报办理结束。"


def test_a_published_application_shows_its_publication_period(published):
    app = published.items.first().application
    stages = _by_key(app)
    assert stages["publication"].status == "current"
    assert stages["publication"].time_limit == "公示期：2026年6月18日至2026年6月25日（5个工作日）"
    assert "下达资金并拨付" in stages["publication"].next_step


def test_the_applicants_status_page_shows_the_stages(recommended, users, client):
    client.force_login(users["hefei_applicant"])
    page = client.get(reverse("applications:status", kwargs={"pk": recommended[0].pk})).content.decode()
    assert 'id="app-progress"' in page
    assert "省级评审决定" in page and "省科技厅组织评审并作出决定" in page
    assert "2026年5月7日 17:00前完成审核推荐" in page


def test_a_draft_is_at_the_apply_stage(users, time_machine):
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    app = application_create(user=users["hefei_applicant"], clause="2", project_name="草稿项目")
    stages = _by_key(app)
    assert stages["apply"].status == "current"
    assert "提交后由合肥市科技局审核推荐" in stages["apply"].next_step
