"""The work list's filter fields, unbound, kept per batch, language and state counts
(review.views._filters_html): the same bytes as the form rendered afresh, and never a stale count."""

from __future__ import annotations

import pytest

from django.template.loader import get_template
from django.test import override_settings
from django.utils import translation

from duixian.applications import policy_bridge
from duixian.review import views
from duixian.review.forms import FilterForm

from .conftest import make_submitted

pytestmark = pytest.mark.django_db


def _fresh(pack, counts) -> str:
    return get_template("review/_filters.html").render({"form": FilterForm(pack=pack, counts=counts)})


def test_the_kept_fields_are_the_forms_for_each_count_and_language():
    pack = policy_bridge.get_pack()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for counts in ({}, {"submitted": 3}, {"submitted": 4, "recommended": 2}, {"submitted": 3}):
                kept = views._filters_html(pack, counts)
                assert kept == _fresh(pack, counts)
    with translation.override("en"):
        english = views._filters_html(pack, {"submitted": 3})
    assert english != views._filters_html(pack, {"submitted": 3})
    assert views._filters_html(pack, {"submitted": 3}) != views._filters_html(pack, {"submitted": 4})
    assert "（3）" in views._filters_html(pack, {"submitted": 3})


def test_a_setting_change_forgets_them():
    views._filters_html(policy_bridge.get_pack(), {})
    assert views._FILTERS
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        assert not views._FILTERS


def test_the_list_shows_the_new_count_at_once(client, users, time_machine):
    make_submitted(users["hefei_applicant"], "第一个项目", time_machine=time_machine)
    client.force_login(users["hefei_clerk"])

    def state_option(page):
        start = page.index('<option value="submitted"')
        return page[start:page.index("</option>", start)]

    first = client.get("/review/").content.decode()
    assert state_option(first).endswith("（1）")
    make_submitted(users["hefei_applicant"], "第二个项目", time_machine=time_machine)
    second = client.get("/review/").content.decode()
    assert state_option(second).endswith("（2）")
    # a filtered list (a bound form) as before: its own fields
    filtered = client.get("/review/", {"state": "submitted"}).content.decode()
    assert '<option value="submitted" selected' in filtered


def test_the_kept_contact_form_is_the_forms_and_follows_a_saved_contact(client, users):
    from duixian.review.forms import ContactForm

    for name, phone in (("", "0551-63538227"), ('周<经办>"&', "0551-1"), ("李", "")):
        for language in ("zh-hans", "en"):
            with translation.override(language):
                fresh = get_template("includes/form.html").render(
                    {"form": ContactForm(initial={"contact_name": name, "contact_phone": phone})})
                assert views._contact_html(name, phone) == fresh
    assert "周&lt;经办&gt;&quot;&amp;" in views._contact_html('周<经办>"&', "0551-1")
    client.force_login(users["hefei_clerk"])
    client.get("/review/")
    client.post("/review/contact/", {"contact_name": "王<新>", "contact_phone": "0551-2"})
    page = client.get("/review/").content.decode()
    assert 'value="王&lt;新&gt;"' in page and 'value="0551-2"' in page
