"""The organisation's result page asks the registry (compute.respond) whether the signed-in user
may confirm or object, not the rule function by name: the page shows the forms, or the reason the
registry gives, exactly as the confirm and object presses are guarded."""

from __future__ import annotations

from dataclasses import replace

from django.urls import reverse

from duixian import authz
from tests.compute.test_viewer_reads_only import published  # noqa: F401


def test_the_page_shows_the_registrys_answer(client, login, users, published, monkeypatch):  # noqa: F811
    login(client, users["hefei_applicant"])
    assert 'id="confirm-form"' in client.get(reverse("compute:mine")).content.decode()
    found = authz.get_rule("compute.respond")
    monkeypatch.setitem(authz._rules, "compute.respond",
                        replace(found, function=lambda user: authz.deny("登记处不准回复。", hidden=False)))
    body = client.get(reverse("compute:mine")).content.decode()
    assert 'id="confirm-form"' not in body and 'id="object-form"' not in body
    assert "登记处不准回复。" in body
