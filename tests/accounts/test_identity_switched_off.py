"""The unified identity switched off (OIDC_ISSUER unset) while a person's verified identity still
waits in their session: registration asks for a password again, instead of creating a 经办人
with no password, bound to a service that can no longer sign them in."""

from __future__ import annotations

import time

import pytest

from duixian.accounts import identity
from duixian.accounts.oidc import Identity

USCC = "91340100MA2RXH7Q95"


@pytest.fixture
def waiting(client, db):
    session = client.session
    person = Identity("https://ids.example.gov.cn/oidc", "p-9", name="刘敏", phone="13155113929", uscc=USCC,
                      org_name="合肥新锐智能科技有限公司")
    session[identity.PENDING_SESSION_KEY] = {"identity": person.as_session(), "id_token": "t", "at": time.time()}
    session.save()
    return client


def test_registration_asks_for_a_password_once_the_service_is_switched_off(waiting, settings):
    settings.OIDC_ISSUER = ""
    page = waiting.get("/orgs/register/").content.decode()
    assert 'name="password1"' in page and "由统一身份认证提供，不能修改" not in page
    assert waiting.get("/accounts/oidc/link/").status_code in (400, 404)


def test_while_the_service_is_on_the_code_stays_locked(waiting, settings):
    settings.OIDC_ISSUER = "https://ids.example.gov.cn/oidc"
    page = waiting.get("/orgs/register/").content.decode()
    assert 'name="password1"' not in page and "由统一身份认证提供，不能修改" in page
