"""English second: the catalogue is complete, compiled, and the pages switch language.

Chinese (zh-hans) is the default; English comes from duixian/locale/en/LC_MESSAGES/django.po
(see docs/i18n.md). A visitor picks English with the footer's language form (/i18n/setlang/),
which sets the `django_language` cookie.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

from duixian.policy.pack import default_pack

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"
HAN = re.compile(r"[\u3400-\u9fff]")


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- the pages ----------------------------------------------------------------------------


def test_home_page_in_english_keeps_every_city_phone(client):
    page = english(client).get("/").content.decode()
    assert '<html lang="en">' in page
    for heading in ("Timetable", "Policy clauses and how they are handled in this batch",
                    "Delivery of paper materials", "Contacts (Annex 1)", "Current stage"):
        assert f">{heading}<" in page, heading
    assert "Granted without application; no need to apply" in page
    assert "时间安排" not in page and "政策条款与本批次办理方式" not in page
    # 附件1 is data, not words: all 16 cities and their phones are still there.
    cities = default_pack().contacts.cities
    assert len(cities) == 16
    for city in cities:
        assert city.phone in page, city.city
    # Dates are written the English way.
    assert "5 May 2026, 23:59" in page and "2026年5月5日" not in page


def test_home_countdown_words_come_translated_from_the_page(client, time_machine):
    time_machine.move_to("2026-05-05T23:00:00+08:00", tick=False)
    page = english(client).get("/").content.decode()
    assert "Time until the application deadline" in page
    assert 'data-closed-text="Closed"' in page
    assert 'data-format="{d} days {h} hours {m} min {s} s"' in page


def test_chart_words_on_the_province_dashboard_come_translated(client, users):
    client.force_login(users["province"])
    page = english(client).get("/decisions/").content.decode()
    assert 'data-axis="Applications"' in page
    assert 'data-unit="ten-thousand yuan (万元)" data-amount="Amount requested" data-recommended="Of which recommended"' in page
    assert "Province-wide application progress" in page


def test_the_footer_language_form_switches_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/").content.decode()
    assert ">Timetable<" in page and '<option value="en" selected>' in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert ">时间安排<" in client.get("/").content.decode()


def test_login_page_in_english(client):
    page = english(client).get("/accounts/login/").content.decode()
    assert "<h1>Log in</h1>" in page
    assert '<label for="id_username">Username</label>' in page
    assert '<label for="id_password">Password</label>' in page
    assert "Register an applicant unit" in page
    assert "登录" not in page and "用户名" not in page


def test_failed_login_says_why_in_english(client, users):
    response = english(client).post("/accounts/login/", {"username": "hefei_applicant", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h2>Login failed</h2>" in page
    assert "Please enter a correct username and password" in page  # Django's own English catalogue
    assert "登录失败" not in page


def test_form_errors_in_english_in_the_summary_and_beside_the_field(client):
    response = english(client).post("/orgs/register/", {
        "username": "newuser", "full_name": "Zhang San", "phone": "13800000000",
        "password1": "Abcdef#12345", "password2": "Abcdef#12346",
    })
    page = response.content.decode()
    assert response.status_code == 200
    for message in ("The two passwords do not match.",
                    "Read the Personal Information Processing Notice and tick to agree before continuing; "
                    "you cannot register without agreeing."):
        assert page.count(message) >= 2, message  # error summary at the top and beside the field
    assert "两次输入的密码不一致" not in page


def test_chinese_stays_the_default_without_the_cookie(client):
    page = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in page
    assert ">时间安排<" in page and ">联系方式（附件1）<" in page and "2026年5月5日 23:59" in page
    assert "Timetable" not in page
    login = client.get("/accounts/login/").content.decode()
    assert "<h1>登录</h1>" in login and "Log in" not in login


def test_register_errors_stay_chinese_by_default(client):
    page = client.post("/orgs/register/", {"password1": "Abcdef#12345", "password2": "Abcdef#12346"}).content.decode()
    assert "两次输入的密码不一致。" in page and "The two passwords do not match." not in page


# --- the catalogue ------------------------------------------------------------------------


def parse_po(text: str) -> list[dict]:
    """A small .po reader (polib is not a dependency): entries with flags, msgid(_plural), msgstr[n]."""
    entries, entry, key = [], None, None

    def close():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            close()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, int):
                entry["msgstr"][key] += value
            else:
                entry[key] += value
        else:
            word, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if word.startswith("msgstr"):
                key = int(word[7:-1]) if "[" in word else 0
                entry["msgstr"][key] = value
            else:
                key = word
                entry[key] = value
    close()
    return entries


def catalogue():
    entries = parse_po(PO.read_text(encoding="utf-8"))
    header = [e for e in entries if e["msgid"] == ""]
    return header, [e for e in entries if e["msgid"] != ""]


def test_every_message_is_translated_and_none_is_fuzzy():
    header, entries = catalogue()
    assert len(entries) > 1000
    assert header and "fuzzy" not in header[0]["flags"]
    assert "Language: en" in header[0]["msgstr"][0]
    assert not [e["msgid"] for e in entries if e.get("obsolete")]
    assert not [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in entries if not all(s.strip() for s in e["msgstr"].values())]
    assert not untranslated
    plurals = [e for e in entries if "msgid_plural" in e]
    assert plurals and all(sorted(e["msgstr"]) == [0, 1] for e in plurals)
    # English means no Chinese left in a translation, except a term quoted beside its English,
    # as the glossary does for 万元, or a sample masked name such as 张*明.
    leftover = [e["msgstr"] for e in entries
                if any(HAN.search(re.sub(r"\(万元\)|张\*明", "", s)) for s in e["msgstr"].values())]
    assert not leftover


def test_placeholders_and_markup_survive_translation():
    placeholder = re.compile(r"%\(\w+\)[sd]|%%|<[^>]+>")
    _, entries = catalogue()
    for e in entries:
        sources = [e["msgid"], e.get("msgid_plural", e["msgid"])]
        for n, text in e["msgstr"].items():
            assert sorted(placeholder.findall(text)) == sorted(placeholder.findall(sources[min(n, 1)])), e["msgid"]


def test_the_compiled_catalogue_matches_the_po():
    """The .mo is committed (fresh machines may lack msgfmt): it must be compiled from this .po."""
    with MO.open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    _, entries = catalogue()
    stale = []
    for e in entries:
        if "msgid_plural" in e:
            got = [mo.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
            if got != [e["msgstr"][0], e["msgstr"][1]]:
                stale.append(e["msgid"])
        elif mo.gettext(e["msgid"]) != e["msgstr"][0]:
            stale.append(e["msgid"])
    assert not stale, f"run `cd duixian && ../.venv/bin/duixian compilemessages`: {stale[:5]}"


def test_glossary_terms_are_used_consistently():
    _, entries = catalogue()
    pairs = {"归口管理部门": "competent city bureau", "免申即享": "granted without application",
             "推荐函": "recommendation letter", "汇总表": "summary table", "退回补正": "returned for correction"}
    for chinese, term in pairs.items():
        # Any whole message that is exactly the term (or its verb form) uses the glossary word.
        for e in entries:
            if chinese in e["msgid"] and "msgid_plural" not in e:
                english_text = e["msgstr"][0].lower()
                stem = term.split()[0] if chinese == "退回补正" else term
                if chinese == "退回补正":
                    assert "correction" in english_text, (e["msgid"], english_text)
                else:
                    assert stem in english_text, (e["msgid"], english_text)
    wan = [e for e in entries if "万元" in e["msgid"]]
    assert wan and all("ten-thousand yuan (万元)" in e["msgstr"][0] for e in wan)
