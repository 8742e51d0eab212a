"""English pages are English (issue 20 item 6): no Han character outside quoted Chinese.

Every role (and an anonymous visitor) opens, with English selected (the `django_language`
cookie the footer's language form sets), every page it may open: one page per URL the
authorization matrix declares for the role (duixian/*/access.py, objects built by the
declaration's `make`), plus one page per view reached by a link from those pages in a world of
submitted, recommended, assigned, decided and published applications. The text a person sees
(text nodes, and the attributes a browser shows or reads aloud) may hold no Han character,
except inside an element marked `lang="zh…"`: the notice's own words quoted, names and text
people typed (a project, an organisation, a person), place names. Marking them is also what
WCAG 3.1.2 asks of a Chinese phrase inside an English page.

Han text that is still to be translated is listed in english_pages_remaining.txt, one
"view<TAB>Han run" a line. The test fails on any Han run not listed there, so the list can only
shrink. When translations land, `DUIXIAN_ENGLISH_REMAINING=shrink pytest tests/core/test_english_pages.py`
rewrites the file without the entries no longer seen (it never adds one).
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse
from lxml import html as lxml_html

from duixian.authz.access import ALL, OWN, Scope, collect
from duixian.authz.roles import Role
from duixian.core.clock import SHANGHAI
from tests.conftest import make_org, make_user, otp_login

REMAINING = Path(__file__).with_name("english_pages_remaining.txt")
MADE_AT = datetime(2026, 4, 21, 9, 0, tzinfo=SHANGHAI)  # the window is open: drafts can be made
SEEN_AT = datetime(2026, 6, 18, 10, 0, tzinfo=SHANGHAI)  # the 公示 runs: every kind of page has content
ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, *Role.values]
# Pages each role opened when this was written (27, 62, 49, 89, 36, 41, 36, 36), less a margin: a
# crawl that opens fewer has lost pages (a declaration that no longer names the role), and its
# shorter list of Han runs would look like progress.
AT_LEAST = {ANONYMOUS: 23, Role.APPLICANT: 53, Role.CITY_CLERK: 42, Role.PROVINCE: 76, Role.EXPERT: 31,
            Role.SYSTEM_ADMIN: 35, Role.SECURITY_ADMIN: 31, Role.AUDIT_ADMIN: 31}

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A run: Han characters with the CJK punctuation, full-width forms and digits between them.
HAN_RUN = re.compile(f"[{HAN}](?:[{HAN}\u3000-\u303f\uff00-\uffef0-9·]*[{HAN}])?")
# Attributes a browser shows (title, placeholder, alt, a button's value) or reads aloud (aria-*),
# and the words our scripts put on the page (data-*: the countdown, the charts).
SHOWN_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label", "aria-description", "aria-roledescription"}
NOT_SHOWN = {"script", "style", "template"}


def chinese(element) -> bool:
    return (element.get("lang") or "").lower().startswith("zh")


def visible_texts(body: str, *, data: bool = True) -> list[str]:
    """The text a reader sees or hears outside lang="zh…": text nodes and shown attributes (and,
    with `data`, data-* attributes, whose words our scripts show)."""
    found: list[str] = []

    def check(text: str | None):
        if text and text.strip():
            found.append(" ".join(text.split()))

    def walk(element, quoted: bool):
        if not isinstance(element.tag, str):  # a comment or processing instruction
            return
        quoted = quoted or chinese(element)
        if not quoted:
            for name, value in element.attrib.items():
                if name in SHOWN_ATTRIBUTES or (data and name.startswith("data-")) or (
                        name == "value" and element.tag == "input"
                        and (element.get("type") or "").lower() in ("submit", "button", "reset")):
                    check(value)
            if element.tag not in NOT_SHOWN:
                check(element.text)
        for child in element:
            walk(child, quoted)
            if not quoted:
                check(child.tail)

    walk(lxml_html.document_fromstring(body), False)
    return found


# The glossary (docs/i18n.md) keeps a few Chinese terms in brackets beside their English.
GLOSSES = {"万元": "ten-thousand yuan (万元)"}


def han_runs(body: str) -> list[tuple[str, str]]:
    """(Han run, the text it stands in) for every Han run a reader sees outside lang="zh…"."""
    # Digits masked: a run is the same text on every run of the suite (a draft's number varies).
    return [(re.sub(r"[0-9]+", "#", run), text[:160]) for text in visible_texts(body) for run in HAN_RUN.findall(text)
            if not (run in GLOSSES and GLOSSES[run] in text)]


# Codes where a person reads names (issue 20 item 5): an ISO time, a Python dict or list, a role's
# code word (city_clerk), a division code on its own.
RAW_CODES = re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d|\{'|\['|\b(?:%s)\b|^34\d{4}$"
                       % "|".join(role for role in Role.values if "_" in role))  # "applicant" is also a word


def raw_codes(body: str) -> list[str]:
    return [text[:160] for text in visible_texts(body, data=False) if RAW_CODES.search(text)]


# --- the world ----------------------------------------------------------------------------


def _scope(tag: str, city_code: str, uscc: str, name: str) -> Scope:
    org = make_org(uscc, name, city_code)
    users = {
        Role.APPLICANT: make_user(f"{tag}_applicant", Role.APPLICANT, organisation=org, full_name="张晓明"),
        Role.CITY_CLERK: make_user(f"{tag}_clerk", Role.CITY_CLERK, city_code=city_code, full_name="合肥市科技局经办人"),
        Role.PROVINCE: make_user(f"{tag}_province", Role.PROVINCE, full_name="省科技厅人工智能处"),
        Role.EXPERT: make_user(f"{tag}_expert", Role.EXPERT, full_name="陈专家"),
        Role.SYSTEM_ADMIN: make_user(f"{tag}_sysadmin", Role.SYSTEM_ADMIN),
        Role.SECURITY_ADMIN: make_user(f"{tag}_secadmin", Role.SECURITY_ADMIN),
        Role.AUDIT_ADMIN: make_user(f"{tag}_auditadmin", Role.AUDIT_ADMIN),
    }
    return Scope(organisation=org, city_code=city_code, users=users)


def _history(scope: Scope, traveller) -> None:
    """Submitted, recommended, approved, assigned to the expert and published applications."""
    from duixian.applications.services import application_create
    from duixian.decisions.services import assignment_create, decision_approve, panel_create, publication_create
    from duixian.policy.pack import default_pack
    from tests.decisions.conftest import make_recommended
    from tests.review.conftest import make_submitted

    users = scope.users
    traveller.move_to(datetime(2026, 4, 21, 9, 0, tzinfo=SHANGHAI))
    make_submitted(users[Role.APPLICANT], "港口调度大模型应用")
    application_create(user=users[Role.APPLICANT], clause="2", project_name="智慧园区巡检大模型应用")
    traveller.move_to(datetime(2026, 4, 22, 9, 0, tzinfo=SHANGHAI))
    apps = [make_recommended(users[Role.APPLICANT], users[Role.CITY_CLERK], name)
            for name in ("医院影像辅助诊断大模型应用", "智慧工厂质检大模型应用", "矿山安全监测大模型应用")]
    traveller.move_to(datetime(2026, 5, 20, 10, 0, tzinfo=SHANGHAI))
    panel = panel_create(batch_id=default_pack().batch_id, clause="2", name="第二条评比专家组",
                         members=[users[Role.EXPERT]], user=users[Role.PROVINCE])
    assignment_create(application=apps[2], expert=users[Role.EXPERT], panel=panel, user=users[Role.PROVINCE])
    for app in apps[:2]:
        decision_approve(app, amount="20", user=users[Role.PROVINCE], without_panel_reason="专家组线下评审，评分表纸质存档")
    traveller.move_to(SEEN_AT)
    publication_create(applications=apps[:2], working_days=5, title="2026年度政策兑现拟支持项目公示",
                       contact="省科技厅人工智能处 0551-62626995", user=users[Role.PROVINCE])


class World:
    def __init__(self, scope: Scope):
        self.scope = scope
        self.clients = {role: otp_login(Client(), user) for role, user in scope.users.items()}
        self.clients[ANONYMOUS] = Client()
        for client in self.clients.values():
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("english-media")
    with (django_db_blocker.unblock(), time_machine.travel(MADE_AT, tick=False) as traveller,
          override_settings(MEDIA_ROOT=media, METERING_ROOT=tmp_path_factory.mktemp("english-metering"),
                            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])):
        with transaction.atomic():
            scope = _scope("en", "340100", "91340100MA2RXH7Q95", "合肥星河智算科技有限公司")
            make_org("91340200MA2N8K3L1T", "芜湖江城智能装备有限公司", "340200")
            _history(scope, traveller)
            yield World(scope)
            transaction.set_rollback(True)


# --- the crawl ----------------------------------------------------------------------------

DECLARED = collect()
NOT_FOLLOWED = {"accounts:logout", "set_language", "core:demo_clock"}


def _may_open(entry, role: str) -> bool:
    if role == ANONYMOUS:
        return entry.public
    return entry.roles.get(role) in (OWN, ALL)


def _view(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def _html(response) -> str | None:
    if response.status_code != 200 or getattr(response, "streaming", False):
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    return response.content.decode("utf-8", errors="replace")


class Crawl:
    def __init__(self):
        self.found: dict[tuple[str, str], str] = {}  # (view, Han run) -> "path: the text around it"
        self.codes: dict[str, str] = {}  # "path: text" of a code shown where a name belongs
        self.pages: list[str] = []


def crawl(world: World, role: str) -> Crawl:
    """Every page `role` opens, in English: the Han runs and raw codes met on them."""
    client = world.clients[role]
    result = Crawl()
    found = result.found
    links: list[str] = []

    def read(view: str, path: str, body: str | None):
        if body is None:
            return
        result.pages.append(path)
        for run, context in han_runs(body):
            found.setdefault((view, run), f"{path}: {context}")
        for text in raw_codes(body):
            result.codes.setdefault(f"{path}: {text}", view)
        links.extend(lxml_html.document_fromstring(body).xpath("//a/@href"))

    for name, entry in sorted(DECLARED.items()):
        if entry.post_only or name in NOT_FOLLOWED or not _may_open(entry, role):
            continue
        # Each declared page in a savepoint: what `make` builds for it is gone before the next.
        with transaction.atomic():
            with time_machine.travel(MADE_AT, tick=False):
                kwargs = entry.make(world.scope) if entry.make else None
            path = reverse(name, kwargs=kwargs)
            path = f"{path}?{entry.query}" if entry.query else path
            read(name, path, _html(client.get(path)))
            transaction.set_rollback(True)
    # One more page per view, as linked from those pages: the world's own objects.
    followed: set[str] = set()
    for href in links:
        url = urlsplit(urljoin("http://testserver/", href))
        if url.netloc not in ("", "testserver"):
            continue
        view = _view(url.path)
        if view is None or view in followed or view in NOT_FOLLOWED:
            continue
        followed.add(view)
        path = url.path + (f"?{url.query}" if url.query else "")
        with transaction.atomic():
            read(view, path, _html(client.get(path)))
            transaction.set_rollback(True)
    return result


def _remaining() -> set[tuple[str, str]]:
    lines = REMAINING.read_text(encoding="utf-8").splitlines() if REMAINING.exists() else []
    return {tuple(line.split("\t", 1)) for line in lines if line and not line.startswith("#")}


_SEEN: dict[str, dict[tuple[str, str], str]] = {}


def _rewrite_remaining():
    """DUIXIAN_ENGLISH_REMAINING=shrink: drop the entries no role met any more (never adds one)."""
    if os.environ.get("DUIXIAN_ENGLISH_REMAINING") not in ("shrink", "record") or set(_SEEN) != set(ROLES):
        return
    seen = {key for found in _SEEN.values() for key in found}
    keep = seen if os.environ["DUIXIAN_ENGLISH_REMAINING"] == "record" else seen & _remaining()
    header = [line for line in REMAINING.read_text(encoding="utf-8").splitlines() if line.startswith("#")] \
        if REMAINING.exists() else []
    REMAINING.write_text("\n".join([*header, *(f"{view}\t{run}" for view, run in sorted(keep))]) + "\n",
                         encoding="utf-8")


def _write_report():
    """DUIXIAN_ENGLISH_REPORT=FILE: every Han run met, with the page and the text around it."""
    if target := os.environ.get("DUIXIAN_ENGLISH_REPORT"):
        lines = {f"{view}\t{run}\t{where}" for found in _SEEN.values() for (view, run), where in found.items()}
        Path(target).write_text("\n".join(sorted(lines)) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def seen():
    yield _SEEN
    _rewrite_remaining()
    _write_report()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_english_pages_have_no_untranslated_chinese(world, seen, role):
    with time_machine.travel(SEEN_AT, tick=False):
        result = crawl(world, role)
    assert len(result.pages) >= AT_LEAST[role], f"{role} opened only {len(result.pages)} pages: {result.pages}"
    found = seen[role] = result.found  # only a full crawl may shrink the list
    assert not result.codes, "codes shown where a person reads names:\n" + "\n".join(result.codes)
    new = {key: where for key, where in found.items() if key not in _remaining()}
    assert not new, (f"{len(new)} Han runs on English pages seen by {role} (translate them, or mark quoted "
                     "Chinese with lang=\"zh-Hans\"):\n"
                     + "\n".join(f"{view}\t{run}\t[{where}]" for (view, run), where in sorted(new.items())))


# --- the check itself ---------------------------------------------------------------------


def test_the_check_sees_han_text_and_attributes_but_not_quoted_chinese():
    body = ('<html lang="en"><head><title>Apply 申报</title><script>var s = "脚本";</script></head><body>'
            '<p>Deadline <b lang="zh-Hans">合肥市科技局</b> and 截止时间 here</p>'
            '<p lang="zh">第二条 <span>（一）</span></p>'
            '<button aria-label="关闭">x</button><input type="submit" value="提交"><input type="hidden" value="隐藏">'
            '<!-- 注释 --></body></html>')
    assert [run for run, _context in han_runs(body)] == ["申报", "截止时间", "关闭", "提交"]
    assert han_runs('<p>2026年5月13日</p>') == [("年#月#日", "2026年5月13日")]
    assert han_runs('<p>Amount (ten-thousand yuan (万元))</p><p>20 万元</p>') == [("万元", "20 万元")]
    codes = ('<p>at: 2026-04-20T10:06:31+08:00</p><p>{\'role\': \'x\'}</p><td>city_clerk</td><td>340100</td>'
             '<td data-city="340100">合肥市</td><p>An applicant in 340100 Hefei</p>')
    assert raw_codes(codes) == ["at: 2026-04-20T10:06:31+08:00", "{'role': 'x'}", "city_clerk", "340100"]


@pytest.mark.django_db
def test_the_language_menu_names_each_language_in_itself(client):
    """English is "English" and Chinese "简体中文" in every language, each marked with its language."""
    for language in ("zh-hans", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        menu = lxml_html.document_fromstring(client.get("/").content.decode()).get_element_by_id("lang")
        options = {option.get("value"): option for option in menu.iter("option")}
        assert options["en"].text == "English" and options["zh-hans"].text == "简体中文"
        for code, option in options.items():
            assert code == language or option.get("lang") == code


def test_quoted_chinese_is_marked_on_english_pages_only():
    from django.utils import translation

    from duixian.core.templatetags.quoted import zh

    with translation.override("en"):
        assert zh("合肥星河<智算>") == '<span lang="zh-Hans">合肥星河&lt;智算&gt;</span>'
        assert zh("Hefei Xinghe") == "Hefei Xinghe" and zh(None) is None
    with translation.override("zh-hans"):
        assert zh("合肥星河<智算>") == "合肥星河&lt;智算&gt;"
