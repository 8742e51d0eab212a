"""A registry fact overrides the applicant's answer in the verdict, names its source row, and the
applicant sees it and can add a note; clerks see the flags for near misses."""

import pytest

from duixian.applications.selectors import application_verdict
from duixian.applications.services import application_create, application_save_answers, application_submit
from duixian.audit.models import AuditEvent
from duixian.registries.models import RegistryNote
from tests.applications.conftest import CLAUSE2_ANSWERS, at, fill_materials

from .conftest import HEFEI, OTHER, import_rows

PROJECT = "医院影像辅助诊断大模型应用"


@pytest.fixture
def draft(users, time_machine):
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    user = users["hefei_applicant"]
    app = application_create(user=user, clause="2", project_name=PROJECT)
    app = application_save_answers(app, dict(CLAUSE2_ANSWERS), user=user)
    fill_materials(app, user)
    return app


def test_registry_hit_overrides_the_answer_in_the_verdict_with_its_source(draft, users):
    before = application_verdict(draft)
    assert before.rule("c2.no_similar_support").outcome == "pass"
    assert before.registry is None and "registry" not in before.to_json()

    import_rows("future_industry_benchmark",
                [[HEFEI, "合肥测试科技有限公司", f"{PROJECT}项目", "2025", "皖科产〔2025〕8号"]], users["province"])
    after = application_verdict(draft)
    failed = after.rule("c2.no_similar_support")
    assert failed.outcome == "fail" and after.status == "ineligible"
    assert "依据登记册：省未来产业标杆应用场景（第1版）第2行" in failed.message
    assert "皖科产〔2025〕8号" in failed.message
    (source,) = after.registry["sources"]
    assert source["answer"] == [] and source["value"] == ["future_industry_benchmark"]
    assert failed.registry_sources[0]["line"] == 2

    # the submission snapshot keeps the verdict with its source
    app = application_submit(draft, user=users["hefei_applicant"], token="t-1", declaration=True)
    snapshot = app.submissions.get()
    assert snapshot.verdict["status"] == "ineligible"
    assert snapshot.verdict["registry"]["sources"][0]["line"] == 2


def test_credit_registry_overrides_the_profile_answer(draft, users):
    import_rows("serious_dishonesty", [[HEFEI, "合肥测试科技有限公司", "2026", "信用中国（安徽）"]], users["province"])
    verdict = application_verdict(draft)
    credit = verdict.rule("c2.credit_good")
    assert credit.outcome == "fail" and "严重失信主体名单（第1版）第2行" in credit.message


def test_applicant_sees_the_override_and_adds_a_note(client, draft, users, login):
    import_rows("future_industry_benchmark", [[HEFEI, "合肥测试科技有限公司", PROJECT, "2025", "皖科产〔2025〕8号"]],
                users["province"])
    login(client, users["hefei_applicant"])
    page = client.get(f"/registries/applications/{draft.pk}/").content.decode()
    assert "登记册信息覆盖了申报填写" in page
    assert "省未来产业标杆应用场景" in page and "第2行" in page
    assert "<th scope=\"row\">已获支持</th>" in page  # the fact as the application's pack names it
    assert "请核对（系统未作认定）" not in page  # clerks' section

    response = client.post(f"/registries/applications/{draft.pk}/",
                           {"fact": "scene.prior_support", "text": "该标杆场景为二期，与本项目不同，见附件。"}, follow=True)
    assert "说明已保存" in response.content.decode()
    note = RegistryNote.objects.get()
    assert note.application_id == draft.pk and note.author == users["hefei_applicant"]
    assert AuditEvent.objects.filter(action="registry.note").exists()

    empty = client.post(f"/registries/applications/{draft.pk}/", {"text": "  "})
    assert "请填写说明" in empty.content.decode()


def test_clerk_sees_flags_for_a_renamed_project_in_own_city_only(client, draft, users, login):
    application_submit(draft, user=users["hefei_applicant"], token="t-2", declaration=True)
    import_rows("clause1_scene_project",
                [[HEFEI, "合肥测试科技有限公司", "智慧医院影像平台建设", "2025", "揭榜挂帅立项文件"],
                 [OTHER, "另一家公司", f"{PROJECT}（一期）", "2025", "揭榜挂帅立项文件"]], users["province"])
    verdict = application_verdict(draft)
    assert verdict.rule("c2.no_clause1_double").outcome == "pass"  # nothing decided on a near miss
    assert {f["code"] for f in verdict.registry["flags"]} == {"same_org_other_project", "similar_name"}

    login(client, users["hefei_clerk"])
    page = client.get("/registries/findings/").content.decode()
    assert PROJECT in page and "智慧医院影像平台建设" in page and "请核对" in page
    detail = client.get(f"/registries/applications/{draft.pk}/").content.decode()
    assert "更名" in detail and "相似度" in detail

    login(client, users["wuhu_clerk"])
    assert PROJECT not in client.get("/registries/findings/").content.decode()
    assert client.get(f"/registries/applications/{draft.pk}/").status_code == 404


def test_other_organisation_gets_404_and_cannot_note(client, draft, users, login):
    login(client, users["wuhu_applicant"])
    assert client.get(f"/registries/applications/{draft.pk}/").status_code == 404
    assert client.post(f"/registries/applications/{draft.pk}/", {"text": "x"}).status_code == 404
    assert RegistryNote.objects.count() == 0
