"""schemathesis against /api/v1: whatever a client sends, the API answers without a server error,
and every answer is what /api/v1/openapi.json documents (status code, content type, body schema),
while a request the schema forbids is refused (issue 16 item 7). Bounded and deterministic:
a few derandomized examples per operation, with and without a metering token.

Also the public calculator's rate limit: the 61st request in a minute from one address is told
to wait, in Chinese, with Retry-After.
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings as hypothesis_settings

pytestmark = pytest.mark.django_db(transaction=True)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _checks():
    from schemathesis.checks import (
        content_type_conformance, negative_data_rejection, not_a_server_error, response_schema_conformance,
        status_code_conformance,
    )

    return [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
            negative_data_rejection]


@schema.parametrize()
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_never_answers_with_a_server_error(case):
    cache.clear()  # the fuzzer is not the rate limit's subject here
    case.call_and_validate(checks=_checks())


@schema.parametrize()
@hypothesis_settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_answers_as_documented_with_a_valid_token(case):
    """The same checks past the token: the metering push's own answers (422 with lines, 200)."""
    from duixian.api.models import MachineToken

    cache.clear()
    _, raw = MachineToken.issue("schemathesis", "metering:write")
    case.call_and_validate(headers={"Authorization": f"Bearer {raw}"}, checks=_checks())


def test_refusals_have_the_documented_shape(client):
    """`facts: null` is not an object (it was answered 200); ninja's own 422 and 401 bodies
    used to differ from what the schema documents."""
    refused = client.post("/api/v1/evaluate", {"clause": 2, "facts": None}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json() == {"error": "事实（facts）应为 JSON 对象", "field": "facts"}
    for facts in ([], "x", 1):
        answer = client.post("/api/v1/evaluate", {"clause": 2, "facts": facts}, content_type="application/json")
        assert answer.status_code == 422 and answer.json()["field"] == "facts"
    assert client.post("/api/v1/evaluate", {"clause": 2, "facts": {}}, content_type="application/json").status_code == 200

    from duixian.api.models import MachineToken

    _, raw = MachineToken.issue("测试", "metering:write")
    no_file = client.post("/api/v1/metering", {}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert no_file.status_code == 422
    body = no_file.json()
    assert set(body) == {"error", "lines", "problems"} and "file" in body["error"]
    assert body["lines"] == [] and body["problems"] == []
    anonymous = client.post("/api/v1/metering", {})
    assert anonymous.status_code == 401 and "接口令牌" in anonymous.json()["detail"]


def test_a_nul_in_the_query_string_gets_the_apis_own_answer(client):
    """The site-wide NUL refusal (a plain-text 400) is not in the API's schema: the API answers in
    its documented shapes instead (found by schemathesis on PostgreSQL)."""
    answer = client.post("/api/v1/evaluate?x%00=%00", {"clause": 2, "facts": {}}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["clause"] == "2"
    refused = client.post("/api/v1/evaluate?clause=%00", {"facts": {}}, content_type="application/json")
    assert refused.status_code == 422 and set(refused.json()) == {"error", "field"}
    anonymous = client.post("/api/v1/metering?x=%00", {})
    assert anonymous.status_code == 401 and "接口令牌" in anonymous.json()["detail"]


@pytest.mark.parametrize("body", [
    '{"clause": 2, "facts": {"\\ud800": 1}}',  # an unknown fact named by a lone surrogate: echoed → 500
    '{"clause": 2, "facts": {}, "\\udfff": 1}',  # an unknown top-level field, echoed too
    '{"clause": "\\ud800", "facts": {}}',
    '{"clause": 2, "facts": {"project_name": "\\ud83d"}}',
])
def test_a_lone_surrogate_escape_is_refused_not_a_server_error(client, body):
    """Review of issue 16: JSON may spell a lone UTF-16 surrogate (\\ud800) that Python decodes
    but UTF-8 cannot encode; the refusal that named it answered 500."""
    answer = client.post("/api/v1/evaluate", body, content_type="application/json")
    assert answer.status_code == 422
    assert answer.json() == {"error": "请求体含有无效的 Unicode 字符（单独的代理码位，如 \\ud800）", "field": None}


@pytest.mark.parametrize("content_type, length", [
    ("multipart/form-data", None),  # no boundary
    ("multipart/form-data; boundary=" + "a" * 5000, None),  # a boundary longer than allowed
    ("multipart/form-data; boundary=x", "-5"),  # a negative Content-Length
])
def test_a_broken_multipart_body_is_refused_in_the_documented_shape(client, content_type, length):
    """Review of issue 16: a token holder's malformed multipart push answered 400 with an empty
    body, a status and shape the schema does not document."""
    from duixian.api.models import MachineToken

    _, raw = MachineToken.issue("测试", "metering:write")
    extra = {"CONTENT_LENGTH": length} if length else {}
    answer = client.generic("POST", "/api/v1/metering", b"--x\r\n\r\n--x--", content_type=content_type,
                            HTTP_AUTHORIZATION=f"Bearer {raw}", **extra)
    assert answer.status_code == 422
    body = answer.json()
    assert set(body) == {"error", "lines", "problems"} and "multipart" in body["error"]


def test_public_calculator_is_rate_limited_per_address(client):
    body = {"clause": 4, "facts": {}}
    for _ in range(60):
        assert client.post("/api/v1/evaluate", body, content_type="application/json").status_code == 200
    refused = client.post("/api/v1/evaluate", body, content_type="application/json")
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.json()["detail"] and int(refused["Retry-After"]) >= 1
