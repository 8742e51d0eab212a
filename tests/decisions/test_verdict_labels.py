"""One status, one label (issue 18 item 3): every page that shows a verdict words and colours a
status the same way — the applicant's, the clerk's, the province's and the public self-check."""

import io
import re

import pytest
from docx import Document
from django.urls import reverse

from duixian.applications.models import Submission
from duixian.applications.services import application_create, application_save_answers, application_submit
from duixian.applications.workflow import application_transition
from duixian.policy.display import status_label, status_tone
from duixian.policy.verdict import Status
from tests.applications.conftest import CLAUSE2_ANSWERS, at, fill_materials, signin

from .conftest import make_recommended

pytestmark = pytest.mark.django_db

TAG = re.compile(r'<span class="tag (ok|bad|warn)"(?: id="([a-z-]+)")?>([^<]*)</span>')
WORDS = {  # what each status says, in the order of the work
    Status.ELIGIBLE: ("ok", "符合条件"), Status.INELIGIBLE: ("bad", "不符合条件"), Status.NEEDS_REVIEW: ("warn", "待审核"),
    Status.EVALUATION_ONLY: ("warn", "须参加绩效评价，不享受兑现"), Status.ERROR: ("warn", "信息有误，暂无法判断"),
}
SELF_CHECK_INELIGIBLE = {  # tests/policy/test_views.py: 二、（二）2 fails
    "answered": "1", "scene__own_supply_capability": "true", "scene__status": "in_use",
    "scene__development_investment_wan": "120", "submitted_at": "2026-04-28T09:30",
}


def tag(page: str, tag_id: str) -> tuple[str, str]:
    """(tone, label) of the status tag with this id."""
    return next((tone, text) for tone, found, text in TAG.findall(page) if found == tag_id)


def verdict_tags(page: str, panel: str) -> list[tuple[str, str]]:
    """The status tags inside the first match of the `panel` pattern."""
    return [(tone, text) for tone, _id, text in TAG.findall(re.search(panel, page, re.S).group(0))]


def row_tags(page: str, reference: str) -> list[tuple[str, str]]:
    """The status tags of the table row that names `reference`."""
    row = next(r for r in re.findall(r"<tr.*?</tr>", page, re.S) if reference in r)
    return [(tone, text) for tone, _id, text in TAG.findall(row)]


@pytest.mark.parametrize("status", list(Status), ids=str)
def test_a_stored_status_reads_the_same_on_every_page(status, client, users, time_machine):
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    app = make_recommended(users["hefei_applicant"], users["hefei_clerk"], "医院影像辅助诊断大模型应用",
                           recommend=False)
    snapshot = Submission.objects.get(application=app)
    snapshot.verdict = {**snapshot.verdict, "status": status.value}
    snapshot.save()
    expected = (status_tone(status), status_label(status))
    assert expected == WORDS[status]

    signin(client, users["hefei_applicant"])
    page = client.get(f"/applications/{app.pk}/status/").content.decode()
    assert f"提交时系统预审</dt><dd>{expected[1]}（" in page
    summary = Document(io.BytesIO(client.get(f"/applications/{app.pk}/summary.docx").content))
    assert [r.cells[1].text for r in summary.tables[0].rows if r.cells[0].text == "系统预审结果"] == [expected[1]]
    client.logout()

    signin(client, users["hefei_clerk"])
    assert tag(client.get(f"/review/{app.pk}/").content.decode(), "snapshot-verdict") == expected
    assert row_tags(client.get("/review/").content.decode(), app.reference) == [expected]
    app = application_transition(app, "recommend", users["hefei_clerk"], reason="已核对申报材料")
    client.logout()

    time_machine.move_to(at("2026-05-20 10:00:00"), tick=False)
    signin(client, users["province"])
    assert tag(client.get(f"/decisions/applications/{app.pk}/").content.decode(), "snapshot-verdict") == expected


def test_a_live_verdict_reads_the_same_from_the_self_check_to_the_decision(client, users, time_machine):
    """Answers that fail 二、（二）2 (the applicant can supply the technology itself), judged live by
    the public self-check and the application form, then again by the clerk and the province:
    不符合条件, in the same colour, on every page."""
    expected = (status_tone(Status.INELIGIBLE), status_label(Status.INELIGIBLE))
    check = client.get(reverse("policy:check", args=[2]), SELF_CHECK_INELIGIBLE).content.decode()
    assert verdict_tags(check, r'<section class="card verdict-panel".*?</section>') == [expected]

    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    user = users["hefei_applicant"]
    app = application_create(user=user, clause="2", project_name="自有技术的场景应用")
    app = application_save_answers(app, {**CLAUSE2_ANSWERS, "scene.own_supply_capability": True}, user=user)
    fill_materials(app, user)
    signin(client, user)
    live = client.get(f"/applications/{app.pk}/tasks/").content.decode()
    assert verdict_tags(live, r'<aside id="verdict-panel".*?</aside>') == [expected]
    app = application_submit(app, user=user, token="tok-own-supply", declaration=True)
    client.logout()

    signin(client, users["hefei_clerk"])
    detail = client.get(f"/review/{app.pk}/?recompute=1").content.decode()
    assert tag(detail, "snapshot-verdict") == tag(detail, "recomputed-verdict") == expected
    app = application_transition(app, "recommend", users["hefei_clerk"], reason="已核对申报材料")
    client.logout()

    time_machine.move_to(at("2026-05-20 10:00:00"), tick=False)
    signin(client, users["province"])
    assert tag(client.get(f"/decisions/applications/{app.pk}/").content.decode(), "current-verdict") == expected
    assert row_tags(client.get("/decisions/applications/").content.decode(), app.reference) == [expected]
    # 政策沙盘: a lower cap changes its amount, not its verdict (before → after)
    trial = client.get("/sandbox/", {"parameter": "clause2_cap_wan", "value": "10"}).content.decode()
    assert row_tags(trial, app.reference) == [expected, expected]
