"""Every page that is not explicitly public asks an anonymous visitor to log in."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Public by design: the home page, the notice, the login page, the language switch and
# pages that apps declare public (政策自测, 公示). Anything else must redirect to login.
PUBLIC_NAMES = {
    "core:home", "core:notice", "core:notice_text", "accounts:login", "set_language", "core:care_mode",
    "orgs:register", "orgs:join", "ops:healthz",
    "accounts:password_reset_confirm",  # the mailed one-time link: its token is the credential
    # Signing in through the unified identity service (issue 21): before there is an account.
    "accounts:oidc_start", "accounts:oidc_callback", "accounts:oidc_link",
    # Issue 19: the reading help (政策解读与问答) is read-only; its edit page stays signed-in only.
    "guidance:index", "guidance:clause", "guidance:search",
    # The public status lookup (受理编号 + 统一社会信用代码), rate-limited; rating stays signed-in only.
    "tracking:lookup",
}
PUBLIC_PREFIXES = ("policy:", "public:", "api")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}"


def _concrete(route: str) -> str:
    import re

    route = re.sub(r"<(?:int|id):[^>]+>", "1", route)
    route = re.sub(r"<city:[^>]+>", "340100", route)
    route = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000001", route)
    route = re.sub(r"<(?:str|slug):[^>]+>|<[^>]+>", "x", route)
    return "/" + route.lstrip("^").rstrip("$")


def _is_public(route: str, name: str) -> bool:
    return name in PUBLIC_NAMES or name.startswith(PUBLIC_PREFIXES) or route.startswith("api/")


ROUTES = sorted(entry for entry in set(_walk(get_resolver().url_patterns)) if not _is_public(*entry))


@pytest.mark.django_db
@pytest.mark.parametrize("route,name", ROUTES)
def test_non_public_pages_ask_for_login(client, route, name):
    response = client.get(_concrete(route))
    assert response.status_code == 302, f"{route} answered {response.status_code} to an anonymous visitor"
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_public_home_page_needs_no_login(client):
    assert client.get("/").status_code == 200


def test_a_signed_in_visitors_healthz_reads_no_session_and_no_user(client, users, django_assert_num_queries):
    """Whether someone is signed in is asked only of views that need it: /healthz costs a signed-in
    visitor no session or user read (it did: two queries and most of its CPU, and the surge
    benchmark's applicants call it between their pages). A public page still shows who is signed in."""
    user = users["hefei_applicant"]
    client.force_login(user)
    client.get("/healthz")  # the first request of the process reads the active packs once
    with django_assert_num_queries(0):
        assert client.get("/healthz").content == b"ok"
    assert user.username in client.get("/notice/").content.decode()


@pytest.mark.parametrize("who", ["hefei_clerk", "must_change"])
def test_public_pages_stay_public_for_someone_not_yet_fully_signed_in(client, users, who, real_otp):
    """A clerk without the one-time code yet, or a user who must change the password, still sees
    the public pages; every other page sends them on, as before."""
    user = users["hefei_applicant" if who == "must_change" else who]
    if who == "must_change":
        user.must_change_password = True
        user.save()
    client.force_login(user)  # no one-time code: unverified
    assert client.get("/notice/").status_code == 200
    assert client.get("/healthz").status_code == 200
    moved = client.get("/dashboard/")
    assert moved.status_code == 302
    assert moved["Location"].startswith(reverse("accounts:password_change" if who == "must_change" else "accounts:otp_verify"))
