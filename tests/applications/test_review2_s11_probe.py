"""Reviewer probe (issue 22 memos): every page written with warm memos equals the page written with
every memo and fixed fragment forgotten, across languages, script prefixes and applications."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse, set_script_prefix

from duixian.core import memos
from duixian.core.templatetags.fixed import forget_renderings
from tests.applications.conftest import signin
from tests.review.conftest import make_submitted

pytestmark = pytest.mark.django_db

_RANDOM = [re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), re.compile(r'name="token" value="[^"]*"'),
           re.compile(r'csrf-token" content="[^"]*"'), re.compile(r'<div class="messages">.*?</div>', re.S)]


def _clean(text: str) -> str:
    for pattern in _RANDOM:
        text = pattern.sub("X", text)
    return "\n".join(line for line in text.splitlines() if line.strip() not in ("", "X"))


def _get(client, url, language, prefix):
    client.cookies["django_language"] = language
    set_script_prefix(prefix + "/")
    try:
        response = client.get(url)
    finally:
        set_script_prefix("/")
    return f"{response.status_code}\n" + _clean(response.content.decode())


def _cold(client, url, language, prefix):
    memos.forget_all()
    forget_renderings()
    return _get(client, url, language, prefix)


def _walk(client, urls):
    bad = []
    for prefix in ("", "/sub"):
        for language in ("zh-hans", "en"):
            for url in urls:
                warm = _get(client, url, language, prefix)
                cold = _cold(client, url, language, prefix)
                if warm != cold:
                    bad.append((url, language, prefix))
                    if len(bad) == 1:
                        import difflib
                        print("\n".join(difflib.unified_diff(cold.splitlines(), warm.splitlines(), "cold", "warm",
                                                             n=1, lineterm="")))
    return bad


def test_applicant_pages_warm_equal_cold(users, client, complete_draft, time_machine):
    app = complete_draft
    signin(client, users["hefei_applicant"])
    urls = [reverse(name, kwargs={"pk": app.pk}) for name in
            ("applications:tasks", "applications:materials", "applications:check", "applications:status")]
    urls.append(reverse("applications:section", kwargs={"pk": app.pk, "key": "project"}))
    assert _walk(client, urls) == []


def test_clerk_pages_warm_equal_cold(users, client, time_machine):
    one = make_submitted(users["hefei_applicant"], "甲<script>&'\"", time_machine=time_machine)
    two = make_submitted(users["hefei_applicant"], "乙", time_machine=time_machine)
    signin(client, users["hefei_clerk"])
    urls = [reverse("review:worklist"), reverse("review:detail", kwargs={"pk": one.pk}),
            reverse("review:detail", kwargs={"pk": two.pk})]
    assert _walk(client, urls) == []


def test_the_prefix_reaches_the_page(users, client, complete_draft):
    signin(client, users["hefei_applicant"])
    page = _get(client, reverse("applications:check", kwargs={"pk": complete_draft.pk}), "zh-hans", "/sub")
    assert 'href="/sub/' in page


H = "<script>&amp;'\""


def test_pages_follow_changes_warm_equal_cold(users, client, time_machine):
    from duixian.applications.materials import material_store
    from duixian.applications.models import Application
    from duixian.applications.services import application_save_answers
    from duixian.applications.workflow import application_transition
    from tests.applications.conftest import PDF, upload

    applicant, clerk = users["hefei_applicant"], users["hefei_clerk"]
    one = make_submitted(applicant, "甲" + H, time_machine=time_machine)
    two = make_submitted(applicant, "乙", time_machine=time_machine)
    app_urls = lambda app: [reverse(n, kwargs={"pk": app.pk}) for n in (  # noqa: E731
        "applications:tasks", "applications:materials", "applications:check", "applications:status")]
    clerk_urls = [reverse("review:worklist"), reverse("review:detail", kwargs={"pk": one.pk}),
                  reverse("review:detail", kwargs={"pk": two.pk})]
    signin(client, clerk)
    assert _walk(client, clerk_urls) == []
    one = application_transition(Application.objects.get(pk=one.pk), "return", clerk, reason="退回" + H,
                                 item_reasons={"other": "其他" + H})
    assert _walk(client, clerk_urls) == []
    client.logout()
    signin(client, applicant)
    assert _walk(client, app_urls(one) + app_urls(two)) == []
    one = application_save_answers(one, {"contact_name": "李" + H, "org.owns_ip": False, "scene.status": "building",
                                         "amount_requested_wan": "23.5", "project_name": "甲改" + H}, user=applicant)
    from duixian.applications import policy_bridge
    slot = policy_bridge.material_slots(one.clause, one.application_type)[0]
    material_store(one, slot.id, upload(f"换{H}.pdf", PDF), user=applicant)
    one.organisation.name = "单位" + H
    one.organisation.save()
    assert _walk(client, app_urls(one) + app_urls(two)) == []
    client.logout()
    signin(client, clerk)
    assert _walk(client, clerk_urls) == []


def test_check_page_tokens_are_each_requests_own(users, client, complete_draft):
    from django.middleware.csrf import _unmask_cipher_token

    signin(client, users["hefei_applicant"])
    url = reverse("applications:check", kwargs={"pk": complete_draft.pk})
    pages = [client.get(url).content.decode() for _ in range(3)]
    tokens = [re.search(r'name="token" value="([^"]*)"', page).group(1) for page in pages]
    assert len(set(tokens)) == 3
    pages.append(client.get(reverse("applications:materials", kwargs={"pk": complete_draft.pk})).content.decode())
    pages.append(client.get(reverse("applications:section", kwargs={"pk": complete_draft.pk, "key": "project"}))
                 .content.decode())
    secret = client.cookies["csrftoken"].value
    assert all("csrfmiddlewaretoken" in page for page in pages)
    for page in pages:
        for masked in re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', page):
            assert _unmask_cipher_token(masked) == secret
