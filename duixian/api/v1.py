"""The machine API at /api/v1 (django-ninja; OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Mounted in duixian/urls.py with `api.urls`, which carries the namespace the schema view needs.

Every answer has a documented status and body (issue 16): a request that does not fit an
operation's parameters answers 422 in that operation's documented refusal shape (not ninja's
default ``{"detail": [...]}``), a missing or wrong token 401 with ``{"detail": <中文>}``.
tests/security/test_api_fuzz.py checks every operation against the schema with schemathesis.
"""

from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from duixian.core.errors import DomainError, refusal_response
from duixian.policy.api import router as policy_router

api = NinjaAPI(
    title="Duixian 政策兑现平台接口",
    version="1",
    urls_namespace="api-v1",
    docs_url="/docs",
)
api.add_router("/", policy_router)
# Apps above this one (compute: the metering push, authenticated with api.auth) add their own
# router in AppConfig.ready(), so the API does not import them back (docs/decisions/0002).

UNAUTHORIZED = "缺少有效的接口令牌（请求头 Authorization: Bearer <令牌>）"


def _field(error: dict) -> str:
    # ninja's loc starts with where the value was looked for ("body", "query", "file", …)
    loc = [str(part) for part in error.get("loc", ())][1:]
    return ".".join(dict.fromkeys(loc)) or "body"


def _answer(request, error: DomainError):
    """A refused request: the one refusal shape (CONTRACTS §2), except the metering push's
    documented shape, which names lines instead of a field."""
    if request.path_info.rstrip("/").endswith("/metering"):
        return api.create_response(request, {"error": error.message, "lines": [], "problems": []}, status=422)
    return refusal_response(error)


@api.exception_handler(ValidationError)
def _refused(request, exc: ValidationError):
    errors = list(exc.errors) or [{}]
    field = _field(errors[0])
    return _answer(request, DomainError(f"请求不符合接口说明：缺少或无效的字段“{field}”", field))


@api.exception_handler(MultiPartParserError)
def _not_multipart(request, exc: MultiPartParserError):
    """A body that cannot be parsed as multipart (no or bad boundary, a negative length): Django
    answered 400 with an empty body, which the schema does not document."""
    return _answer(request, DomainError("请求体不是有效的 multipart/form-data（须含名为 file 的文件字段）"))


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc: AuthenticationError):
    return api.create_response(request, {"detail": UNAUTHORIZED}, status=401)
