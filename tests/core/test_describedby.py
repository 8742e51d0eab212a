"""Every aria-describedby on a page names an element the page has (issue 20).

A screen reader reads a field's help text and its errors through aria-describedby. Django
writes `<id>_helptext` and `<id>_error` on the widget; the templates used to give the help
text `<id>_help` and the error list no id at all, so the reference led nowhere and the help
and the error were never read out with the field.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.applications.conftest import at, signin
from tests.review.conftest import make_submitted

pytestmark = pytest.mark.django_db


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.described = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby") is not None:
            self.described.append((tag, attrs.get("id") or attrs.get("name"), attrs["aria-describedby"]))


def dangling(html: str) -> list[str]:
    """The aria-describedby references of a page that name no element of it."""
    parser = _Ids()
    parser.feed(html)
    return [f"<{tag} {who}> → {ref}" for tag, who, refs in parser.described
            for ref in refs.split() if ref not in parser.ids]


def described_count(html: str) -> int:
    parser = _Ids()
    parser.feed(html)
    return len(parser.described)


def _plain_routes(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _plain_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and "<" not in str(entry.pattern):
            yield "/" + (prefix + str(entry.pattern)).lstrip("^").rstrip("$")


PLAIN_ROUTES = sorted(r for r in set(_plain_routes(get_resolver().url_patterns))
                      if not r.startswith(("/api/", "/i18n/", "/admin/")) and "logout" not in r)


def _html_pages(client):
    for route in PLAIN_ROUTES:
        response = client.get(route)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            yield route, response.content.decode()


def test_a_refused_registration_describes_each_field_by_its_help_and_its_error(client):
    response = client.post("/orgs/register/", {"contact_phone": "12", "uscc": "x"})
    body = response.content.decode()
    assert response.status_code in (200, 400)
    assert 'id="id_contact_phone_helptext"' in body and 'id="id_contact_phone_error"' in body
    assert re.search(r'aria-describedby="id_contact_phone_helptext id_contact_phone_error"', body)
    assert dangling(body) == []


@pytest.mark.parametrize("role", [None, "hefei_applicant", "hefei_clerk", "province", "expert",
                                  "system_admin", "security_admin", "audit_admin"])
def test_every_plain_page_of_every_role_has_no_dangling_describedby(client, users, role):
    if role:
        signin(client, users[role])
    broken = {route: refs for route, html in _html_pages(client) if (refs := dangling(html))}
    assert broken == {}


def test_section_form_and_review_forms_with_errors_name_their_help_and_errors(client, users, time_machine):
    app = make_submitted(users["hefei_applicant"], "医院影像辅助诊断大模型应用", time_machine=time_machine)
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    response = client.post(f"/review/{app.pk}/act/return/", {"ret-expected_state": "submitted"})
    assert response.status_code == 400
    assert dangling(response.content.decode()) == []

    client.logout()
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    from duixian.applications.services import application_create

    draft = application_create(user=users["hefei_applicant"], clause="2", project_name="另一个项目")
    signin(client, users["hefei_applicant"])
    page = client.get(f"/applications/{draft.pk}/section/project/").content.decode()
    assert described_count(page) > 0
    assert dangling(page) == []
    # A group of radio buttons or checkboxes is described, as a group, by its help and its errors.
    page = client.get(f"/applications/{draft.pk}/section/scene/").content.decode()
    assert re.search(r'<fieldset aria-describedby="[^"]*_error"><legend>', page)
    assert dangling(page) == []


def test_a_refused_upload_is_read_out_with_its_file_field(client, users, time_machine):
    from tests.applications.conftest import EXE, upload

    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    from duixian.applications.services import application_create

    draft = application_create(user=users["hefei_applicant"], clause="2", project_name="另一个项目")
    signin(client, users["hefei_applicant"])
    response = client.post(f"/applications/{draft.pk}/materials/ip_proof/upload/", {"file": upload("a.pdf", EXE)})
    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(r'<input type="file" name="file" id="file-ip_proof"[^>]*aria-describedby="file-ip_proof-error"'
                     r'[^>]*aria-invalid="true"', body)
    assert 'id="file-ip_proof-error"' in body
    assert dangling(body) == []


def test_the_pages_of_one_application_have_no_dangling_describedby(client, users, time_machine):
    from duixian.applications.services import application_create

    sent = make_submitted(users["hefei_applicant"], "医院影像辅助诊断大模型应用", time_machine=time_machine)
    time_machine.move_to(at("2026-04-22 10:00:00"), tick=False)
    draft = application_create(user=users["hefei_applicant"], clause="2", project_name="另一个项目")
    signin(client, users["hefei_applicant"])
    pages = {path: client.get(path) for path in (
        f"/applications/{draft.pk}/", f"/applications/{draft.pk}/tasks/", f"/applications/{draft.pk}/materials/",
        f"/applications/{draft.pk}/check/", f"/applications/{sent.pk}/status/", f"/applications/{sent.pk}/withdraw/")}
    pages["refused check"] = client.post(f"/applications/{draft.pk}/check/", {})
    broken = {path: refs for path, response in pages.items() if (refs := dangling(response.content.decode()))}
    assert broken == {}
    assert {path: r.status_code for path, r in pages.items() if r.status_code >= 500} == {}
