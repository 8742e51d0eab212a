"""Reading help: each clause's 解读 beside the quoted notice; a search that quotes, or says whom to call."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from duixian.audit.models import AuditEvent
from duixian.core.models import Announcement, AnnouncementKind
from duixian.guidance.models import Interpretation
from duixian.guidance.services import InterpretationRefused, interpretation_save
from duixian.policy.active import current_pack

READING = "本条支持的是已经建成并投入使用的场景。\n\n还在规划或建设中的场景，今年不能申报本条。"


def _search(client, question):
    return client.get(reverse("guidance:search"), {"q": question}).content.decode()


@pytest.fixture
def reading(users):
    return interpretation_save(current_pack(), 2, body=READING, note="首次发布", user=users["province"])


def test_the_clause_page_quotes_the_notice_beside_the_reading(reading):
    page = Client().get(reverse("guidance:clause", kwargs={"clause": 2})).content.decode()
    quoted = page.split('id="quoted"')[1].split('id="interpretation"')[0]
    assert "场景已完成建设并投入使用。" in quoted and "《通知》二、（一）" in quoted
    assert "《若干政策（2.0版）》二" in quoted  # the policy text it redeems, cited as such
    assert '<p id="p-2">还在规划或建设中的场景，今年不能申报本条。</p>' in page
    assert "编辑解读" not in page  # anonymous
    assert f'href="{reverse("policy:check", args=[2])}?batch={current_pack().batch_id}"' in page  # the same clause's self-check


def test_a_clause_without_a_reading_says_to_read_the_notice(db):
    page = Client().get(reverse("guidance:clause", kwargs={"clause": 4})).content.decode()
    assert "省科技厅尚未发布本条解读，请以通知原文为准。" in page
    assert Client().get(reverse("guidance:clause", kwargs={"clause": 9})).status_code == 404


def test_the_province_edits_the_reading_with_a_history_and_each_save_audited(reading, users, client):
    client.force_login(users["province"])
    response = client.post(reverse("guidance:edit", kwargs={"clause": 2}),
                           {"body": READING + "\n已获省未来产业标杆应用场景支持的，不再重复支持。", "note": "补充不重复支持"})
    assert response.status_code == 302
    assert Interpretation.objects.count() == 2
    page = client.get(reverse("guidance:edit", kwargs={"clause": 2})).content.decode()
    history = page.split('id="interpretation-history"')[1]
    assert history.index("补充不重复支持") < history.index("首次发布")  # newest first, the old one kept
    events = AuditEvent.objects.filter(action="guidance.interpretation_save").order_by("pk")
    assert [e.detail["note"] for e in events] == ["首次发布", "补充不重复支持"]
    assert events.last().detail["replaces"] == reading.pk
    public = Client().get(reverse("guidance:clause", kwargs={"clause": 2})).content.decode()
    assert "不再重复支持。</p>" in public.split('id="interpretation"')[1]


def test_an_unchanged_reading_is_not_a_new_version(reading, users):
    with pytest.raises(InterpretationRefused, match="没有变化"):
        interpretation_save(current_pack(), 2, body=READING + "\n", user=users["province"])


@pytest.mark.parametrize("who", ["hefei_applicant", "hefei_clerk", "expert", "system_admin"])
def test_only_the_province_edits(users, client, who):
    client.force_login(users[who])
    response = client.post(reverse("guidance:edit", kwargs={"clause": 2}), {"body": "改写"})
    assert response.status_code == 404
    assert not Interpretation.objects.exists()
    with pytest.raises(InterpretationRefused):
        interpretation_save(current_pack(), 2, body="改写", user=users[who])


def test_the_search_quotes_notice_faq_and_reading_with_their_citations(reading, users):
    Announcement.objects.create(kind=AnnouncementKind.FAQ, title="场景在建设中可以申报吗？",
                                body="场景须已完成建设并投入使用，在建场景不能申报第二条。", created_by=users["province"])
    page = _search(Client(), "场景还在建设中，可以申报吗？")
    answers = page.split('class="answers"')[1].split("</ol>")[0]
    assert "常见问题：场景在建设中可以申报吗？" in answers
    assert "第二条解读 第2段" in answers and "还在规划或建设中的场景，今年不能申报本条。" in answers
    assert "《通知》二、（一）" in answers and "场景已完成建设并投入使用。" in answers
    batch = current_pack().batch_id
    assert f'href="{reverse("policy:notice")}?batch={batch}#s-2.1.b"' in answers  # each quote links to its place


def test_nothing_matching_shows_the_helpdesk_and_the_citys_phone(users, client):
    page = _search(Client(), "火星移民签证怎么办理")
    assert 'id="no-answer"' in page and 'class="answers"' not in page
    assert "13023098652，13155113928" in page  # the platform helpdesk (通知七)
    assert "芜湖市" in page.split('id="city-phones"')[1]  # anonymous: every city of 附件1
    client.force_login(users["hefei_applicant"])
    page = _search(client, "火星移民签证怎么办理")
    assert "合肥市科技局（归口管理部门）：0551-63538227" in page and 'id="city-phones"' not in page


def test_the_search_refuses_an_empty_question(db):
    page = _search(Client(), "  ")
    assert "请输入问题。" in page and 'id="ask-someone"' not in page


def test_the_clause_page_in_english_numbers_the_clause_and_quotes_the_notice(reading):
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("guidance:clause", kwargs={"clause": 2})).content.decode()
    assert "<title>Guidance on clause 2</title>" in page  # no Chinese a title could not mark
    assert '<h1><span lang="zh-Hans">二、促进垂类模型应用' in page
    assert 'the Notice, section 2 (1)' in page  # the place in the notice, in the glossary's words
    assert '<p id="p-2"><span lang="zh-Hans">还在规划或建设中的场景' in page  # the reading, quoted
