"""Only the province manages registries and uses the sandbox; everyone else gets a 404."""

import pytest

pytestmark = pytest.mark.django_db

PROVINCE_ONLY = [
    "/registries/", "/registries/import/", "/registries/templates/serious_dishonesty.xlsx",
    "/registries/parks/obligations/", "/sandbox/", "/sandbox/?parameter=clause2_cap_wan&value=150",
    "/sandbox/export.xlsx?parameter=clause2_cap_wan&value=150",
]
OTHERS = ["hefei_applicant", "hefei_clerk", "expert", "system_admin", "security_admin", "audit_admin"]


@pytest.mark.parametrize("who", OTHERS)
def test_province_pages_are_404_for_everyone_else(client, users, login, who):
    login(client, users[who])
    for url in PROVINCE_ONLY:
        assert client.get(url).status_code == 404, url
    assert client.post("/registries/parks/obligations/remind/", {"uscc": "x", "park_name": "y"}).status_code == 404


def test_province_opens_them(client, users, login):
    login(client, users["province"])
    for url in PROVINCE_ONLY:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["hefei_applicant", "expert", "audit_admin"])
def test_findings_are_for_clerks_and_the_province(client, users, login, who):
    login(client, users[who])
    assert client.get("/registries/findings/").status_code == 404


def test_my_obligations_is_for_applicants(client, users, login):
    login(client, users["province"])
    assert client.get("/registries/my-obligations/").status_code == 404


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/sandbox/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
