"""The page chrome rendered once and served from memory (`{% fixed %}`, issue 22) must never show a
reader what belongs to another language, another sign-in state, another 适老化 setting or another
URL prefix, and must keep each request's own CSRF token and return path."""

import re

from django.template import Context, Template
from django.test import override_settings
from django.urls import set_script_prefix
from django.utils import translation

from duixian.core.templatetags import fixed


def _chrome(html: str) -> str:
    """The page without what changes by design at each request."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_a_page_is_the_same_whether_its_chrome_is_fresh_or_from_memory(client, users):
    client.force_login(users["hefei_applicant"])
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        fixed.forget_renderings()
        fresh = client.get("/notice/").content.decode()
        from_memory = client.get("/notice/").content.decode()
        assert _chrome(fresh) == _chrome(from_memory)


def test_the_chrome_follows_the_language_of_each_request(client, db):
    assert "首页" in client.get("/notice/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/notice/").content.decode()
    assert ">Home</a>" in english and "首页" not in english and ">简体中文</option>" in english
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get("/notice/").content.decode()
    assert ">首页</a>" in chinese and ">Home</a>" not in chinese


def test_signing_in_and_out_changes_the_chrome(client, users):
    anonymous = client.get("/notice/").content.decode()
    assert "注册申报单位" in anonymous and "工作台" not in anonymous
    client.force_login(users["hefei_applicant"])
    signed_in = client.get("/notice/").content.decode()
    assert "工作台" in signed_in and "注册申报单位" not in signed_in and "/accounts/logout/" in signed_in
    client.logout()
    assert "注册申报单位" in client.get("/notice/").content.decode()


def test_care_mode_is_shown_as_it_is_for_each_reader(client, db):
    assert 'value="1"' in _care_switch(client.get("/notice/").content.decode())
    client.post("/care-mode/", {"care": "1", "next": "/notice/"})
    switch = _care_switch(client.get("/notice/").content.decode())
    assert 'name="care" type="hidden" value="0"' in switch and 'aria-pressed="true"' in switch
    client.post("/care-mode/", {"care": "0", "next": "/notice/"})
    switch = _care_switch(client.get("/notice/").content.decode())
    assert 'name="care" type="hidden" value="1"' in switch and 'aria-pressed="false"' in switch


def _care_switch(html: str) -> str:
    return html[html.index('class="inline care-switch"'):html.index('id="care-switch"') + 200]


def test_each_request_keeps_its_own_token_and_return_path(client, db):
    first = client.get("/notice/").content.decode()
    second = client.get("/?x=1").content.decode()
    assert 'name="next" type="hidden" value="/notice/"' in first
    assert 'name="next" type="hidden" value="/?x=1"' in second
    # a form in the chrome carries a token, masked anew for each page
    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page) for page in (first, second)]
    assert tokens[0] and tokens[1] and set(tokens[0]).isdisjoint(tokens[1])


def test_links_carry_the_prefix_the_site_is_served_under(client, db):
    client.get("/notice/")  # rendered once without a prefix
    set_script_prefix("/duixian/")  # as the WSGI handler does from SCRIPT_NAME (the test client does not)
    try:
        prefixed = client.get("/notice/").content.decode()
    finally:
        set_script_prefix("/")
    assert 'href="/duixian/notice/"' in prefixed and 'action="/duixian/i18n/setlang/"' in prefixed


def test_a_changed_setting_renders_it_again(client, db):
    client.get("/notice/")
    with override_settings(STATIC_URL="/assets/"):
        assert 'href="/assets/duixian/duixian.css"' in client.get("/notice/").content.decode()


def test_listed_values_count_as_true_or_false_only_and_renderings_are_bounded():
    template = Template("{% load fixed %}{% fixed flag %}{{ flag }}{% endfixed %}")
    with translation.override("zh-hans"):
        assert template.render(Context({"flag": "甲"})) == "甲"
        # any other true value is the same rendering: text of a request never becomes a key
        assert template.render(Context({"flag": "乙"})) == "甲"
        assert template.render(Context({"flag": ""})) == ""
    node = template.nodelist[-1]
    try:
        for n in range(fixed.MAX_RENDERINGS * 2):
            set_script_prefix(f"/p{n}/")
            template.render(Context({"flag": True}))
    finally:
        set_script_prefix("/")
    assert len(node.rendered) == fixed.MAX_RENDERINGS


def test_base_has_no_request_value_inside_a_fixed_fragment():
    """What base.html keeps in memory holds no token, path, user or clock."""
    from django.template.loader import get_template

    source = get_template("base.html").template.source
    for fragment in re.findall(r"{% fixed[^%]*%}(.*?){% endfixed %}", source, re.S):
        for request_value in ("csrf_token", "request.", "user", "platform_now", "messages", "can "):
            assert request_value not in fragment, (request_value, fragment[:80])


def test_a_fragment_cannot_hold_a_block_and_a_page_still_fills_every_block_of_base():
    import pytest
    from django.template import TemplateSyntaxError, engines

    with pytest.raises(TemplateSyntaxError):
        Template("{% load fixed %}{% fixed %}<p>{% block content %}{% endblock %}</p>{% endfixed %}")
    # base.html's blocks sit between its fragments: a page that extends it fills each of them
    page = engines["django"].from_string(
        '{% extends "base.html" %}{% block title %}T-1{% endblock %}{% block head %}<meta name="h-2">{% endblock %}'
        "{% block extra_nav %}<a>N-3</a>{% endblock %}{% block content %}C-4{% endblock %}"
        "{% block footer %}F-5{% endblock %}{% block scripts %}<script>S-6</script>{% endblock %}")
    html = page.render({})
    for mark in ("<title>T-1</title>", '<meta name="h-2">', "<a>N-3</a>", "C-4", "F-5", "<script>S-6</script>"):
        assert mark in html
    assert "平台客服电话" not in html  # the footer block replaced
