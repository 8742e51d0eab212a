"""A small fixed-window rate limiter on Django's cache, for views and django-ninja operations.

    from duixian.core.ratelimit import ratelimit

    @router.post("/evaluate")
    @ratelimit("60/m")                 # per client address
    def evaluate(request, ...): ...

    @ratelimit("10/m", key="user", methods=("POST",))   # per signed-in user (address if anonymous)

Over the limit the view is not called: the answer is 429 with Retry-After, JSON under /api/ and
a Chinese message elsewhere. With several app servers the cache must be shared (CACHES in
settings: database or Redis); the default local-memory cache limits per process.
"""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MESSAGE = "请求过于频繁，请 {n} 秒后再试。"


def parse_rate(rate: str) -> tuple[int, int]:
    """'60/m' → (60, 60); '5/10s' is not supported on purpose: keep rates readable."""
    count, _, unit = rate.partition("/")
    if unit not in _UNITS or not count.isdigit() or int(count) < 1:
        raise ValueError(f"invalid rate {rate!r}: use N/s, N/m, N/h or N/d")
    return int(count), _UNITS[unit]


def _client_key(request, key: str) -> str:
    from duixian.audit.services import client_ip

    if key == "user":
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"u{user.pk}"
    elif callable(key):
        return str(key(request))
    return f"ip{client_ip(request)}"


def hit(bucket: str, limit: int, window: int, *, now: float | None = None) -> int:
    """Count one request in `bucket`; answer 0 if allowed, else the seconds until the window ends."""
    now = time.time() if now is None else now
    start = int(now // window) * window
    cache_key = f"ratelimit:{bucket}:{window}:{start}"
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=window + 1)
            count = 1
    if count <= limit:
        return 0
    return max(1, int(start + window - now))


def too_many(request, retry_after: int) -> HttpResponse:
    message = MESSAGE.format(n=retry_after)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit(rate: str, *, key="ip", methods: tuple[str, ...] | None = None, scope: str | None = None):
    limit, window = parse_rate(rate)

    def decorator(view):
        name = scope or f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if getattr(settings, "RATELIMIT_ENABLED", True) and (methods is None or request.method in methods):
                retry_after = hit(f"{name}:{_client_key(request, key)}", limit, window)
                if retry_after:
                    return too_many(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
