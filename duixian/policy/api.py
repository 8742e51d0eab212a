"""`POST /api/v1/evaluate` (CONTRACTS §2): the policy calculator over HTTP, public.

The body is either `{"clause": 4, "facts": {...}}` or the facts object itself with the clause
in the query string (`?clause=4`). The answer is the same JSON as `duixian evaluate`; bad facts
or a clause that takes no application give 422 with `{"error": <中文>, "field": <name>}`
(`duixian.core.errors.refusal_response`).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Field, Router, Schema

from duixian.core.errors import DomainError, refusal_response
from duixian.core.ratelimit import ratelimit

from .active import current_pack, has_batch, pack_of
from .engine import evaluate as evaluate_facts
from .facts import PolicyInputError

router = Router(tags=["政策自测"])


class RuleCitation(Schema):
    section: int | None
    subsection: int | None
    item: int | None
    text: str
    # Set when the rule comes from the policy text, not the notice: 《若干政策（2.0版）》.
    document: str | None = None


class RuleOut(Schema):
    id: str
    outcome: str
    kind: str
    citation: RuleCitation
    message: str
    inputs: dict[str, Any] = {}
    missing: list[str] = []  # the facts (by name) the rule still needs


class VerdictOut(Schema):
    clause: str
    status: str = Field(description="eligible | ineligible | needs_review | evaluation_only（须参加绩效评价，不享受兑现）")
    max_amount_wan: str | None
    rules: list[RuleOut]
    batch_id: str
    pack_version: str


class ErrorOut(Schema):
    error: str
    field: str | None


class DetailOut(Schema):
    detail: str


_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "clause": {"type": ["integer", "string"], "description": "条款编号（本批次受理 2、4、5）"},
                        "facts": {"type": "object", "description": "事实（CONTRACTS §2 的词汇），嵌套 JSON"},
                    },
                    "required": ["clause", "facts"],
                },
                "example": {
                    "clause": 2,
                    "facts": {"scene": {"status": "in_use"}, "submitted_at": "2026-04-28T09:30:00+08:00"},
                },
            }
        },
    }
}


def _has_lone_surrogate(value) -> bool:
    """True when a key or string anywhere in the decoded JSON holds a lone UTF-16 surrogate."""
    try:
        json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


@router.post(
    "/evaluate",
    response={200: VerdictOut, 422: ErrorOut, 429: DetailOut},
    summary="政策自测：判断事实是否满足某一条款",
    openapi_extra=_BODY_DOC,
    auth=None,
)
@ratelimit(setting="RATE_LIMIT_EVALUATE")  # public and anonymous: per client address
def evaluate(request: HttpRequest, clause: str | None = None, batch: str | None = None):
    """Judge facts against a clause of the current pack (of `?batch=` when given), rule by rule,
    with citations."""
    try:
        return JsonResponse(_verdict(request, clause, batch), json_dumps_params={"ensure_ascii": False})
    except (DomainError, PolicyInputError) as refused:
        return refusal_response(refused)


def _batch(batch: str | None):
    """The pack of `batch` (a batch running on the platform), else the default batch's."""
    if batch is None:
        return current_pack()
    if not has_batch(batch):
        raise DomainError(f"没有这个批次：{batch}", "batch")
    return pack_of(batch)


def _verdict(request: HttpRequest, clause: str | None, batch: str | None = None) -> dict:
    pack = _batch(batch)
    try:
        body = json.loads(request.body or b"{}", parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deep
        raise DomainError("请求体不是有效的 JSON")
    if _has_lone_surrogate(body):  # "\ud800" is valid JSON but no UTF-8: echoing it answered 500
        raise DomainError("请求体含有无效的 Unicode 字符（单独的代理码位，如 \\ud800）")
    if not isinstance(body, dict):
        raise DomainError("请求体应为 JSON 对象")
    if "facts" in body and ("clause" in body or clause is None):
        chosen = body.get("clause", clause)
        facts = body.get("facts")
        extra = sorted(set(body) - {"clause", "facts"})
        if extra:
            raise DomainError(f"未知的字段：{extra[0]}", extra[0])
    else:
        chosen, facts = clause, body
    if chosen is None or isinstance(chosen, bool) or not isinstance(chosen, (int, str)):
        raise DomainError("缺少条款编号（clause）", "clause")
    if not isinstance(facts, dict):  # the documented type: `null`, a list or a string is no facts object
        raise DomainError("事实（facts）应为 JSON 对象", "facts")
    return evaluate_facts(pack, chosen, facts).to_json()
