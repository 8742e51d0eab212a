"""The clerk's work list, its list section pinned byte for byte in Chinese and in English (issue 22
item 1 rewrites how the rows and the filter form are written; the clerk must read the same page).

Rows in several states and verdicts, an amount left blank, a submission after midnight Beijing
time, and applicant-typed text that tries to break out of the HTML: every such value must come out
escaped exactly as the template engine escaped it. The golden files were written from the page as
the templates rendered it before the rewrite (ids, references and the CSRF token replaced by
placeholders); tests/review/golden/ holds them.
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from duixian.applications.models import Application, Submission
from duixian.orgs.models import Organisation

from .conftest import at, make_submitted, signin

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
HOSTILE_ORG = '<script>alert("x")</script>\'&amp; 合肥测试 "科技" 有限公司'
# No Han character: stays unquoted on English pages, escaped all the same.
HOSTILE_PROJECT = 'AI <img src=x onerror=alert(1)> "q" & \'a\' &lt;'


@pytest.fixture
def worklist_rows(users, time_machine):
    """Six 合肥 applications, oldest first: what a clerk's list mixes."""
    applicant = users["hefei_applicant"]
    Organisation.objects.filter(pk=applicant.organisation_id).update(name=HOSTILE_ORG)
    made = [
        make_submitted(applicant, "医院影像辅助诊断大模型应用", when="2026-04-20 09:05:00", time_machine=time_machine),
        make_submitted(applicant, HOSTILE_PROJECT, when="2026-04-20 23:59:00", time_machine=time_machine),
        make_submitted(applicant, "智能制造<质检>视觉&大模型", when="2026-04-21 00:30:00", time_machine=time_machine),
        make_submitted(applicant, "港口调度大模型应用", when="2026-04-22 14:00:00", time_machine=time_machine),
        make_submitted(applicant, "教育大模型应用", when="2026-04-23 18:45:00", time_machine=time_machine),
        make_submitted(applicant, "医疗问诊大模型应用", when="2026-04-24 08:00:00", time_machine=time_machine),
    ]
    # States and verdicts set directly: the list shows what is stored, whatever led there.
    changes = [
        ({}, "eligible"),
        ({}, "needs_review"),
        ({"state": "recommended", "amount_requested_wan": None}, "evaluation_only"),
        ({"state": "returned", "amount_requested_wan": Decimal("1234567.50")}, "ineligible"),
        ({"state": "not_recommended", "clause": "4"}, None),  # no status: shown as —
        ({"state": "expired", "amount_requested_wan": Decimal("0.05")}, "<b>bogus</b>"),
    ]
    for app, (fields, status) in zip(made, changes):
        if fields:
            Application.objects.filter(pk=app.pk).update(**fields)
        for sub in Submission.objects.filter(application=app):
            verdict = dict(sub.verdict or {})
            if status is None:
                verdict.pop("status", None)
            else:
                verdict["status"] = status
            Submission.objects.filter(pk=sub.pk).update(verdict=verdict)
    return [Application.objects.get(pk=a.pk) for a in made]


def list_section(page: str, apps) -> str:
    """The page's list section (filters, rows, count, pages), ids and references as placeholders."""
    start = page.index('<section class="card" aria-labelledby="list-h">')
    section = page[start:page.index("</section>", start) + len("</section>")]
    section = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="CSRF"', section)
    for i, app in enumerate(apps):
        section = section.replace(app.reference, f"REF{i}")
        for pattern in ('name="selected" value="{}"', 'id="sel-{}"', '"/review/{}/"'):
            section = section.replace(pattern.format(app.pk), pattern.format(f"PK{i}"))
    return section


@pytest.mark.parametrize("query", ["", "?state=&clause=&q=%22%3E%3Cx%3E%26"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_list_section_is_the_page_the_templates_wrote(client, users, time_machine, worklist_rows, settings,
                                                          language, query):
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/review/" + query)
    assert response.status_code == 200
    section = list_section(response.content.decode(), worklist_rows)
    name = f"worklist_{language}{'_search' if query else ''}.html"
    expected = GOLDEN / name
    if not expected.exists() or expected.read_text(encoding="utf-8") != section:
        Path("/tmp", "actual_" + name).write_text(section, encoding="utf-8")  # to diff against
    assert expected.read_text(encoding="utf-8") == section


def test_applicant_text_never_reaches_the_page_unescaped(client, users, time_machine, worklist_rows, settings):
    """What the golden files hold, said plainly: the typed markup is shown as text in both languages."""
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    for language in ("zh-hans", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get("/review/?q=%22%3E%3Cx%3E").content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>bogus" not in page
        assert '"><x>' not in page and "<质检>" not in page
        page = client.get("/review/").content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#x27;&amp;amp; 合肥测试 &quot;科技&quot; 有限公司" in page
        assert "AI &lt;img src=x onerror=alert(1)&gt; &quot;q&quot; &amp; &#x27;a&#x27; &amp;lt;" in page


def test_more_rows_cost_no_more_queries(client, users, time_machine, worklist_rows, settings):
    """The list reads only the columns its rows show; a field read that was left out would cost a
    query a row (issue 22: the page's queries stay the same with 1 row or 50)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    counted = {}
    for language in ("zh-hans", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for query in ("?state=recommended", "?state=submitted", "", "?q=大模型"):  # 1, 2, 6 and 5 rows
            client.get("/review/" + query)  # once before counting: what a page caches is cached
            with CaptureQueriesContext(connection) as queries:
                page = client.get("/review/" + query).content.decode()
            counted[language, query] = (len(queries), page.count('<td><a href="/review/'))
    rows = {key: n for key, (_q, n) in counted.items()}
    assert rows["en", ""] == 6 and rows["en", "?state=recommended"] == 1 and rows["en", "?state=submitted"] == 2
    assert len({q for (_lang, query), (q, _n) in counted.items() if query != "?q=大模型"}) == 1, counted


def test_counts_and_pages_with_and_without_filters(client, users, time_machine, worklist_rows, monkeypatch):
    """Without a clause or a search the list's length is taken from the state counts (no COUNT
    query); the count line and the pages must say what the rows are, filtered or not."""
    from duixian.core import listing

    monkeypatch.setattr(listing, "PER_PAGE", 2)
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])

    def shown(query):
        page = client.get("/review/" + query).content.decode()
        count = re.search(r'id="worklist-count">共 (\d+) 项<', page).group(1)
        pages = re.search(r"第 (\d+) / (\d+) 页", page)
        return int(count), pages.groups() if pages else None, page.count('<td><a href="/review/')

    assert shown("") == (6, ("1", "3"), 2)
    assert shown("?page=3") == (6, ("3", "3"), 2)
    assert shown("?page=9") == (6, ("3", "3"), 2)
    assert shown("?state=submitted") == (2, None, 2)
    assert shown("?state=returned") == (1, None, 1)
    assert shown("?state=paid") == (0, None, 0)
    assert shown("?clause=4") == (1, None, 1)
    assert shown("?clause=2&state=submitted") == (2, None, 2)
    assert shown("?q=大模型") == (5, ("1", "3"), 2)
    assert shown("?q=大模型&page=3") == (5, ("3", "3"), 1)
    assert shown("?state=nonsense") == (6, ("1", "3"), 2)  # a refused filter lists everything


def test_the_unfiltered_list_is_counted_once(client, users, time_machine, worklist_rows):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    for query, counting in (("", 1), ("?state=returned", 1), ("?clause=2", 2), ("?q=医", 2)):
        with CaptureQueriesContext(connection) as queries:
            client.get("/review/" + query)
        assert sum("COUNT(" in q["sql"] and "applications_application" in q["sql"] for q in queries) == counting, query


def test_the_city_contact_the_clerk_saved_or_the_notices(client, users, time_machine, worklist_rows, settings):
    """The contact form and the 汇总表 preview show what the clerk saved, or the notice's phone for
    the city (selectors.city_contact, a query compiled once per process since issue 22)."""
    from duixian.policy.pack import default_pack
    from duixian.review import selectors
    from duixian.review.models import CityContact

    notice_phone = default_pack().contacts.city("340100").phone
    assert selectors.city_contact("340100") == ("", notice_phone) and notice_phone
    assert selectors.city_contact("999999") == ("", "")
    CityContact.objects.create(city_code="340100", contact_name='周<经办>"', contact_phone="")
    CityContact.objects.create(city_code="340200", contact_name="芜湖", contact_phone="0553-1")
    assert selectors.city_contact("340100") == ('周<经办>"', notice_phone)
    assert selectors.city_contact("340200") == ("芜湖", "0553-1")
    CityContact.objects.filter(city_code="340100").update(contact_phone="0551-63538227")
    assert selectors.city_contact("340100") == ('周<经办>"', "0551-63538227")
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    page = client.get("/review/").content.decode()
    assert 'value="周&lt;经办&gt;&quot;"' in page and "周&lt;经办&gt;&quot; 0551-63538227</summary>" in page


def test_the_last_recommendation_is_the_latest_of_the_city_and_batch(users, time_machine, worklist_rows):
    """selectors.last_recommendation_at (the 汇总表's date, a query compiled once per process since
    issue 22) is the latest recommend state change of the city, of the batch when given."""
    from django.db.models import Max

    from duixian.applications.models import StateChange
    from duixian.applications.workflow import application_transition
    from duixian.review import selectors

    def orm(city, batch=""):
        qs = StateChange.objects.filter(application__city_code=city, action="recommend")
        return (qs.filter(application__batch_id=batch) if batch else qs).aggregate(last=Max("at"))["last"]

    batch = worklist_rows[0].batch_id
    assert selectors.last_recommendation_at("340100") is None is selectors.last_recommendation_at("340100", batch)
    clerk = users["hefei_clerk"]
    for app, when in ((worklist_rows[1], "2026-04-27 09:00:00"), (worklist_rows[0], "2026-04-28 11:00:00")):
        time_machine.move_to(at(when), tick=False)
        application_transition(app, "recommend", clerk)
    Application.objects.filter(pk=worklist_rows[0].pk).update(batch_id="another-batch")
    for city, batch_id in (("340100", ""), ("340100", batch), ("340100", "another-batch"), ("340100", "none"),
                           ("340200", ""), ("340200", batch)):
        assert selectors.last_recommendation_at(city, batch_id) == orm(city, batch_id), (city, batch_id)
    assert selectors.last_recommendation_at("340100") == at("2026-04-28 11:00:00")
    assert selectors.last_recommendation_at("340100", batch) == at("2026-04-27 09:00:00")
