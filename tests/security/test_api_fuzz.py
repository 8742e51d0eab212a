"""schemathesis against /api/v1: whatever a client sends, the API answers without a server error.

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


@schema.parametrize()
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_answers_with_a_server_error(case):
    from schemathesis.checks import not_a_server_error

    cache.clear()  # the fuzzer is not the rate limit's subject here
    case.call_and_validate(checks=[not_a_server_error])


def test_public_calculator_is_rate_limited_per_address(client):
    body = {"clause": 4, "facts": {}}
    for _ in range(60):
        assert client.post("/api/v1/evaluate", body, content_type="application/json").status_code == 200
    refused = client.post("/api/v1/evaluate", body, content_type="application/json")
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.json()["detail"] and int(refused["Retry-After"]) >= 1
