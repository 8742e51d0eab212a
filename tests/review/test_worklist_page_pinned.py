"""The clerk's work list, the whole page's main content pinned byte for byte in Chinese and in
English (issue 22 item 1: how the rows, the state counts, the 汇总表 preview and the downloaded
versions are read changes; the clerk must read the same page).

test_worklist_html.py pins the list section; this pins everything between <main> and </main>:
the deadline, the paper delivery, how many applications the city recommended and their total,
the downloaded versions, the contact form and its line (a name with markup in it), the filters,
the rows and the pages, unfiltered, by state, by clause and a page past the first. The golden
files (tests/review/golden/page_*.html) were written from the page before the change, ids,
references, the CSRF token and the versions' hashes replaced by placeholders.
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from duixian.applications.models import Application
from duixian.applications.workflow import application_transition
from duixian.review.models import CityContact

from .conftest import at, signin
from .test_worklist_html import worklist_rows  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
QUERIES = {"all": "", "submitted": "?state=submitted", "clause": "?clause=2", "page2": "?page=2"}


@pytest.fixture
def recommended_and_downloaded(users, time_machine, worklist_rows):  # noqa: F811
    """Two of the six recommended (one with a blank amount, one with cents; the second listed
    as submitted again), the 汇总表 and the letter downloaded, and a contact the clerk saved."""
    from duixian.exports import services

    clerk = users["hefei_clerk"]
    Application.objects.filter(pk=worklist_rows[1].pk).update(amount_requested_wan=Decimal("12.35"))
    for app, when in ((worklist_rows[0], "2026-04-27 09:00:00"), (worklist_rows[1], "2026-04-27 10:00:00")):
        time_machine.move_to(at(when), tick=False)
        application_transition(Application.objects.get(pk=app.pk), "recommend", clerk)
    Application.objects.filter(pk=worklist_rows[0].pk).update(amount_requested_wan=None)
    # recommended for good (the 汇总表 counts the recorded recommendation), listed as submitted again:
    # the list keeps one row with its checkbox
    Application.objects.filter(pk=worklist_rows[1].pk).update(state="submitted")
    CityContact.objects.create(city_code="340100", contact_name='周<经办>"&', contact_phone="0551-63538227")
    time_machine.move_to(at("2026-04-27 11:00:00"), tick=False)
    services.download_summary("340100", "xlsx", user=clerk)
    services.download_letter("340100", None, user=clerk)
    return worklist_rows


def main_content(page: str, apps) -> str:
    start = page.index("<main")
    main = page[start:page.index("</main>", start) + len("</main>")]
    main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="CSRF"', main)
    main = re.sub(r"[0-9a-f]{64}", "SHA256", main)
    main = re.sub(r"[0-9a-f]{16}…", "SHA16…", main)
    main = re.sub(r"/versions/\d+/", "/versions/PK/", main)
    for i, app in enumerate(apps):
        main = main.replace(app.reference, f"REF{i}")
        for pattern in ('name="selected" value="{}"', 'id="sel-{}"', '"/review/{}/"'):
            main = main.replace(pattern.format(app.pk), pattern.format(f"PK{i}"))
    return main


@pytest.mark.parametrize("query", sorted(QUERIES))
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_page_is_the_one_the_clerk_read_before(client, users, time_machine, recommended_and_downloaded,
                                                   settings, monkeypatch, language, query):
    from duixian.core import listing

    monkeypatch.setattr(listing, "PER_PAGE", 4)  # two pages
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/review/" + QUERIES[query])
    assert response.status_code == 200
    main = main_content(response.content.decode(), recommended_and_downloaded)
    name = f"page_{query}_{language}.html"
    expected = GOLDEN / name
    if not expected.exists() or expected.read_text(encoding="utf-8") != main:
        Path("/tmp", "actual_" + name).write_text(main, encoding="utf-8")  # to diff against
    assert expected.read_text(encoding="utf-8") == main


def test_the_pinned_pages_show_what_they_pin(client, users, time_machine, recommended_and_downloaded, settings):
    """The golden files are not empty of what matters: two recommended, 12.35 万元, the two
    versions, the contact escaped."""
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    page = client.get("/review/").content.decode()
    assert '<strong id="recommended-count">2</strong>' in page
    assert '<strong id="recommended-total">12.35</strong>' in page
    assert page.count("/versions/") == 2
    assert "周&lt;经办&gt;&quot;&amp; 0551-63538227</summary>" in page
