"""Review of issue 22's `{% fixed %}`: readers who differ in every way the chrome can (signed in or
not, role, language, 适老化 mode, demo banner with or without the clock link) take turns on the same
pages; each page must be exactly what it is with nothing kept in memory, whoever filled the memory
first."""

import re

import pytest
from django.test import Client

from duixian.core.templatetags import fixed

pytestmark = pytest.mark.django_db

PAGES = ["/", "/notice/", "/dashboard/", "/accounts/login/", "/demo/clock/"]
READERS = [(None, "zh-hans", False), ("hefei_applicant", "en", True), ("hefei_clerk", "zh-hans", False),
           ("province", "en", False), ("province", "zh-hans", True), (None, "en", True)]


def _masked(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_readers_taking_turns_each_see_their_own_chrome(users, settings, monkeypatch, time_machine):
    time_machine.move_to("2026-04-28 10:00:00+08:00", tick=False)  # the demo banner's clock holds still
    settings.DEMO_MODE = True
    clients = []
    for name, language, care in READERS:
        client = Client()
        if name:
            client.force_login(users[name])
        client.cookies["django_language"] = language
        if care:
            client.post("/care-mode/", {"care": "1", "next": "/"})
        clients.append(client)
    fixed.forget_renderings()
    from_memory = {(path, i): _masked(c.get(path).content.decode()) for path in PAGES for i, c in enumerate(clients)}
    # the readers do differ where the chrome is kept
    home = [from_memory["/notice/", i] for i in range(len(READERS))]
    assert ">Home</a>" in home[1] and ">首页</a>" in home[0] and 'class="care"' in home[1] and 'class="care"' not in home[0]
    assert "/demo/clock/" in home[3] and "/demo/clock/" not in home[1] and "/accounts/logout/" not in home[0]
    monkeypatch.setattr(fixed.FixedNode, "render", lambda self, context: self.nodelist.render(context))
    for path in PAGES:
        for i in reversed(range(len(clients))):
            assert _masked(clients[i].get(path).content.decode()) == from_memory[path, i], (path, READERS[i])
