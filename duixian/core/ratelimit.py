"""A small fixed-window rate limiter on Django's cache, for views and django-ninja operations.

    from duixian.core.ratelimit import ratelimit

    @router.post("/evaluate")
    @ratelimit(setting="RATE_LIMIT_EVALUATE")   # per client address; the rate is read from settings
    def evaluate(request, ...): ...

    @ratelimit("10/m", key="user", methods=("POST",))   # per signed-in user (address if anonymous)

A rate is `N/s`, `N/m`, `N/h` or `N/d`, or several joined by commas (`20/m,150/h,600/d`): every
one of them must hold. Windows are fixed and aligned on Beijing time, so a daily window ends at
midnight in Asia/Shanghai. A rate given by `setting=` is read on every request, never copied at
import time, so the operator's value (environment → settings) and a test's override both apply.

Inside a view, `refusal(...)` counts a request and says whether it is over its limit; for limits
that should count only what was really stored (e.g. objections per 公示 item) look first with
`refusal(..., peek=True)` and `count(...)` the write once it is stored.

Over the limit the view is not called: the answer is 429 with Retry-After, JSON under /api/ and
the page core/too_many.html (normal layout, Chinese, saying until when) elsewhere. The first
refusal in each window is a security event: it is written to the audit trail
(`ratelimit.refused`) and logged on `duixian.security`; the refusals after it in the same window
are not, so a flood cannot flood the audit trail too.

The client is the address from core.clients.client_ip (X-Forwarded-For from our own proxies
only, TRUSTED_PROXY_COUNT), so behind nginx each visitor is counted on its own address; an IPv6
client is counted by its /64 network (core.clients.client_network).
Counters live in the database table core_ratecounter with RATELIMIT_STORE=database (shared by
every process and app server; one atomic upsert per rate), else in Django's default cache, which
is local memory: each process then counts on its own.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Windows start on Beijing-time boundaries (a day window ends at 24:00 北京时间).
_OFFSET = 8 * 3600
_SHANGHAI = ZoneInfo("Asia/Shanghai")
MESSAGE = gettext_lazy("请求过于频繁，请 {n} 秒后再试。")
logger = logging.getLogger("duixian.security")


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int  # seconds
    text: str  # as written, e.g. "20/m"


@dataclass(frozen=True)
class Refusal:
    scope: str
    rate: Rate
    retry_after: int  # seconds until the window that refused ends
    until: float  # that moment, as a Unix time


def parse_rate(rate: str) -> tuple[int, int]:
    """'60/m' → (60, 60); '5/10s' is not supported on purpose: keep rates readable."""
    count, _, unit = rate.strip().partition("/")
    if unit not in _UNITS or not count.isdigit() or int(count) < 1:
        raise ValueError(f"invalid rate {rate!r}: use N/s, N/m, N/h or N/d")
    return int(count), _UNITS[unit]


@functools.lru_cache(maxsize=64)
def parse_rates(text: str) -> tuple[Rate, ...]:
    """'20/m,150/h' → both rates; an empty text or a bad part raises ValueError."""
    parts = [part.strip() for part in str(text).split(",") if part.strip()]
    if not parts:
        raise ValueError(f"invalid rate {text!r}: give at least one of N/s, N/m, N/h or N/d")
    return tuple(Rate(*parse_rate(part), text=part) for part in parts)


def rates_from_setting(name: str) -> tuple[Rate, ...]:
    return parse_rates(getattr(settings, name))


def _database_store() -> bool:
    return getattr(settings, "RATELIMIT_STORE", "cache") == "database"


def enabled() -> bool:
    return bool(getattr(settings, "RATELIMIT_ENABLED", True))


def _client_key(request, key) -> str:
    from duixian.core.clients import client_network

    if key == "user":
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"u{user.pk}"
    elif callable(key):
        return str(key(request))
    return f"ip{client_network(request)}"  # an IPv6 client counts by its /64


def _window(window: int, now: float) -> tuple[int, int]:
    """The window holding `now`: its start and the seconds left in it (at least 1)."""
    start = int((now + _OFFSET) // window) * window - _OFFSET
    return start, max(1, int(start + window - now))


def _cache_key(bucket: str, window: int, start: int) -> str:
    return f"ratelimit:{bucket}:{window}:{start}"


def _bump(key: str, timeout: int, now: float) -> int:
    """Add one to the counter `key` (created at 1, living `timeout` seconds); its new value."""
    if _database_store():
        return _bump_row(key, timeout, now)
    cache = caches["default"]
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def _read(key: str) -> int:
    if _database_store():
        from duixian.core.models import RateCounter

        return RateCounter.objects.filter(bucket=key).values_list("count", flat=True).first() or 0
    return int(caches["default"].get(key) or 0)


_PURGE_EVERY = 500  # database store: about one increment in this many also deletes expired rows


def _bump_row(key: str, timeout: int, now: float) -> int:
    """One atomic statement (PostgreSQL, SQLite ≥ 3.35): concurrent requests never lose a count."""
    from django.db import connection

    from duixian.core.models import RateCounter

    table = connection.ops.quote_name(RateCounter._meta.db_table)
    expires = connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(now + timeout, timezone.utc))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, count, expires_at) VALUES (%s, 1, %s) "
            f"ON CONFLICT (bucket) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [key[:250], expires])
        value = cursor.fetchone()[0]
    if random.randrange(_PURGE_EVERY) == 0:
        RateCounter.objects.filter(expires_at__lt=datetime.fromtimestamp(now, timezone.utc)).delete()
    return value


def _incr(bucket: str, window: int, now: float) -> int:
    start, _left = _window(window, now)
    return _bump(_cache_key(bucket, window, start), window + 1, now)


def _current(bucket: str, window: int, now: float) -> int:
    start, _left = _window(window, now)
    return _read(_cache_key(bucket, window, start))


def _bucket(scope: str, client: str, target) -> str:
    return f"{scope}:{client}" if target in (None, "") else f"{scope}:{client}:{target}"


def refusal(request, scope: str, rates: tuple[Rate, ...] | str, *, key="ip", target=None,
            peek: bool = False) -> Refusal | None:
    """Count this request (with peek=True: only look) against every rate; the refusal with
    the longest wait when any is exceeded, else None. The first refusal of a window is audited
    and logged, the later ones in the same window are not."""
    if not enabled():
        return None
    if isinstance(rates, str):
        rates = parse_rates(rates)
    now = time.time()  # real clock: requests per real second, whatever the demo clock says
    bucket = _bucket(scope, _client_key(request, key), target)
    worst: Refusal | None = None
    for rate in rates:
        if peek:  # refused when one more counted would be over
            over = _current(bucket, rate.window, now) >= rate.limit
        else:
            over = _incr(bucket, rate.window, now) > rate.limit
        if not over:
            continue
        start, left = _window(rate.window, now)
        found = Refusal(scope=scope, rate=rate, retry_after=left, until=now + left)
        if _bump(_cache_key(bucket, rate.window, start) + ":reported", rate.window + 1, now) == 1:
            _report(request, found, target)
        if worst is None or found.retry_after > worst.retry_after:
            worst = found
    return worst


def count(request, scope: str, rates: tuple[Rate, ...] | str, *, key="ip", target=None) -> None:
    """Count one stored write after the fact (pairs with refusal(..., peek=True) before it)."""
    if not enabled():
        return
    if isinstance(rates, str):
        rates = parse_rates(rates)
    now = time.time()
    bucket = _bucket(scope, _client_key(request, key), target)
    for rate in rates:
        _incr(bucket, rate.window, now)


# URL parts that are credentials (an invitation link's token, a set-password link's uid and
# token): whoever reads them could use them, so no audit row or log line holds them.
SECRET_URL_KWARGS = frozenset({"token", "uidb64"})


def redacted_path(request) -> str:
    """The request's path with every credential in it (SECRET_URL_KWARGS) written as "…"."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name, value in (match.kwargs.items() if match is not None else ()):
        if name in SECRET_URL_KWARGS and value:
            path = path.replace(f"/{value}/", "/…/")
    return path


def _report(request, found: Refusal, target) -> None:
    """A security event: one audit row and one log line per client, scope, rate and window."""
    from duixian.core.audit_trail import audit_record
    from duixian.core.clients import client_ip
    from duixian.core.spreadsheets import log_text

    path = redacted_path(request)
    logger.warning("rate limit %s %s exceeded by %s%s on %s %s; refused for %d s",
                   found.scope, found.rate.text, client_ip(request),
                   f" (target {log_text(target)})" if target not in (None, "") else "",
                   request.method, log_text(path), found.retry_after)
    audit_record("ratelimit.refused", request=request, outcome="refused",
                 object_type="ratelimit", object_id=str(target or "")[:64], detail={
                     "scope": found.scope, "rate": found.rate.text,
                     "method": request.method, "path": path[:200],
                     "retry_after": found.retry_after,
                     "until": datetime.fromtimestamp(found.until, _SHANGHAI).isoformat(timespec="seconds"),
                 })


def _wait_text(seconds: int) -> str:
    from django.utils.translation import gettext, ngettext

    if seconds < 60:
        return ngettext("%(n)d 秒", "%(n)d 秒", seconds) % {"n": seconds}
    minutes = -(-seconds // 60)
    if minutes < 60:
        return ngettext("%(n)d 分钟", "%(n)d 分钟", minutes) % {"n": minutes}
    hours, minutes = divmod(minutes, 60)
    if not minutes:
        return ngettext("%(n)d 小时", "%(n)d 小时", hours) % {"n": hours}
    return gettext("%(h)d 小时 %(m)d 分钟") % {"h": hours, "m": minutes}


def limit_text(rate: Rate) -> str:
    from django.utils.translation import gettext

    words = {1: gettext("每秒 %(n)d 次"), 60: gettext("每分钟 %(n)d 次"), 3600: gettext("每小时 %(n)d 次"),
             86400: gettext("每天 %(n)d 次")}
    return words[rate.window] % {"n": rate.limit}


def too_many(request, retry_after: int | Refusal, *, reason: str = "") -> HttpResponse:
    """The 429 answer: JSON under /api/, else a page in the normal layout saying until when.
    `reason` replaces the page's general sentence about the limit."""
    from django.shortcuts import render

    if isinstance(retry_after, Refusal):
        seconds, until, limit = retry_after.retry_after, retry_after.until, limit_text(retry_after.rate)
    else:
        seconds, until, limit = retry_after, time.time() + retry_after, ""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": MESSAGE.format(n=seconds)}, status=429,
                                json_dumps_params={"ensure_ascii": False})
    else:
        response = render(request, "core/too_many.html", {
            "retry_after": seconds, "wait": _wait_text(seconds), "limit": limit, "reason": reason,
            "until": datetime.fromtimestamp(until, _SHANGHAI),
        }, status=429)
    response["Retry-After"] = str(seconds)
    if redacted_path(request) != request.path:
        # Django's request log would name the full path ("Too Many Requests: /orgs/join/<token>/");
        # the refusal was logged above without the credential.
        response._has_been_logged = True
    return response


def ratelimit(rate: str | None = None, *, setting: str | None = None, key="ip",
              methods: tuple[str, ...] | None = None, scope: str | None = None):
    """Limit a view per client (address, or user with key="user"). Give the rate itself, or the
    name of the setting that holds it (read on each request)."""
    if (rate is None) == (setting is None):
        raise TypeError("ratelimit() needs a rate or a setting name, not both")
    fixed = parse_rates(rate) if rate is not None else None

    def decorator(view):
        name = scope or f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if enabled() and (methods is None or request.method in methods):
                found = refusal(request, name, fixed or rates_from_setting(setting), key=key)
                if found:
                    return too_many(request, found)
            return view(request, *args, **kwargs)

        # Read by tests/security/test_public_writes.py: every anonymous write must carry a limit.
        wrapped.ratelimit = {"scope": name, "rate": rate, "setting": setting, "methods": methods}
        return wrapped

    return decorator
