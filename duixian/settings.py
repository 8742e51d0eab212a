"""Django settings for Duixian, read from the environment.

Defaults give the embedded setup (SQLite and local files under ./var) with debug off;
`make run` switches on DUIXIAN_DEMO and DEBUG. Production sets DATABASE_URL, SECRET_KEY,
ALLOWED_HOSTS and friends (see docs/deploy.md).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DUIXIAN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# The demo clock and demo logins exist only when this is on (never in production).
DEMO_MODE = env_bool("DUIXIAN_DEMO")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
SECRET_KEY_FROM_ENVIRONMENT = bool(SECRET_KEY)
if not SECRET_KEY:
    # Command-line tools (org check, evaluate, subsidy compute) work without one; serving
    # without SECRET_KEY is refused by the `duixian check --deploy` error in core/checks.py.
    import secrets

    SECRET_KEY = "local-" + secrets.token_urlsafe(48) if not (DEBUG or DEMO_MODE) else "insecure-local-demo-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_tasks",
    "django_tasks_db",
    "duixian.core",
    "duixian.accounts",
    "duixian.orgs",
    "duixian.policy",
    "duixian.compute",
    "duixian.audit",
    "duixian.applications",
    "duixian.decisions",  # province: experts, decisions, 公示, objections, payment (issue 7)
    "duixian.review",  # city review and recommendation (issue 6)
    "duixian.exports",  # 汇总表, 推荐函, materials zip (issue 6)
    "duixian.api",
    "duixian.ops",  # backups, task leases and progress, /healthz (issue 10)
    "duixian.registries",  # 不重复支持, credit and park registries (issue 11)
    "duixian.sandbox",  # 政策沙盘: parameter trials for the province (issue 11)
    "duixian.tracking",  # where is my application, the lookup by 受理编号, 好差评 (issue 19)
    "duixian.guidance",  # 政策解读 and the search over the notice, the FAQ and the 解读 (issue 19)
    "duixian.wallet",  # 单位证照库: documents uploaded once, attached to any application (issue 19)
    "duixian.matching",  # 政策找企业: matches on the dashboard, pushed when a batch opens (issue 19)
    "duixian.demo",  # `duixian demo`: demo seeding, above every app (docs/decisions/0002)
    # security (issue 9): two-factor, login lockout
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Refuses an oversized metering push from its Content-Length before the body is read.
    "duixian.compute.limits.MeteringBodyLimitMiddleware",
    # A NUL in the query or a form is 400 before a lookup could fail on PostgreSQL.
    "duixian.core.middleware.RefuseNulMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (django-csp 3.x settings below)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "duixian.accounts.middleware.SlidingSessionMiddleware",
    "duixian.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "duixian.accounts.middleware.DeviceMiddleware",  # django-otp's OTPMiddleware, its device read compiled
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "duixian.core.middleware.LoginRequiredByDefaultMiddleware",
    # After login-required: the one-time code, then a forced password change (issue 9).
    "duixian.accounts.middleware.AccountSecurityMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "duixian.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "duixian" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "duixian.core.context_processors.platform",
            ],
            # `date` and `url` whose results are kept (duixian/core/templatetags/kept.py; issue 22)
            "builtins": ["duixian.core.templatetags.kept"],
        },
    },
]

# Forms render with the project's templates, so duixian/templates/django/forms/widgets/ can mark a
# choice that quotes Chinese (a city, a clause name) lang="zh-Hans" on English pages (issue 20).
# duixian.core.forms_renderer.Renderer is TemplatesSetting with Django's unchanged plain inputs and
# textarea written directly: the same HTML for less CPU (the review page renders some 60 widgets; issue 22).
FORM_RENDERER = "duixian.core.forms_renderer.Renderer"

WSGI_APPLICATION = "duixian.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'duixian.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # A handful of concurrent users plus the worker on one file (docs/deploy.md):
    # - every transaction takes the write lock when it begins (BEGIN IMMEDIATE), so a writer
    #   waits for the busy timeout instead of failing at once with "database is locked" when
    #   its read snapshot can no longer be upgraded to a write;
    # - writers wait up to 20 seconds for each other (the busy timeout);
    # - WAL lets readers go on while one writes; synchronous=NORMAL is safe with WAL.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"].endswith("postgresql") and os.environ.get("DB_PREPARED_STATEMENTS", "1") != "0":
    # PostgreSQL: the values travel apart from the SQL (server-side binding) and a query a
    # connection has run five times is prepared once, so PostgreSQL parses and plans it no more and
    # the driver sends only the values: about half the client CPU of a page's queries (issue 22).
    # A pooler in transaction mode must keep prepared statements per connection (PgBouncer 1.21+
    # with max_prepared_statements) or be told DB_PREPARED_STATEMENTS=0 (docs/deploy.md).
    DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})

# Per process: the active policy-pack marker (a few seconds each) and, with the default
# RATELIMIT_STORE=cache, the rate-limit counters (room for many addresses before culling).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "OPTIONS": {"MAX_ENTRIES": 100_000}}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    # ≥ 8 characters, three of four character classes, never the username (等保2.0 三级).
    {"NAME": "duixian.accounts.validators.ComplexityPasswordValidator", "OPTIONS": {"min_length": 8, "min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "duixian.accounts.backends.LockoutBackend",  # django-axes: refuses locked accounts
    "duixian.accounts.backends.AccountBackend",  # the model backend, loading a user in one query
]
# 5 failures in a row lock the account for 30 minutes FROM THE ADDRESS THEY CAME FROM: per account
# and source, so nobody can lock another person out by typing wrong passwords for them (issue 16;
# docs/security.md). The organisation's 经办人 or the security administrator can unlock early.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # 30 minutes from the 5th failure, not from the last try
AXES_LOCKOUT_CALLABLE = "duixian.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "duixian.core.clients.client_network"  # an IPv6 /64 counts as one source
AXES_VERBOSE = False
LOGIN_RATE_PER_IP = os.environ.get("LOGIN_RATE_PER_IP", "30/m")  # login POSTs per client address
# Anonymous writes, counted per client address (duixian.core.ratelimit; the numbers are explained
# in docs/security.md). A rate is N/s, N/m, N/h or N/d, or several joined by commas, all of which
# must hold. Read on every request; a malformed value stops start-up (system check duixian.E003).
RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
# "cache": counters in each process's memory (one process: make run, tests). "database": one
# table shared by every gunicorn process and app server (production; deploy/duixian.env.example).
RATELIMIT_STORE = os.environ.get("RATELIMIT_STORE", "cache")
RATE_LIMIT_REGISTER = os.environ.get("RATE_LIMIT_REGISTER", "20/m,150/h,600/d")  # /orgs/register/ POSTs
RATE_LIMIT_JOIN = os.environ.get("RATE_LIMIT_JOIN", "20/m,150/h,600/d")  # invitation link POSTs
RATE_LIMIT_OBJECTION = os.environ.get("RATE_LIMIT_OBJECTION", "10/m,60/h,200/d")  # 公示 objection POSTs
# Stored objections from one address about one 公示 item (or the whole list): refused beyond this.
RATE_LIMIT_OBJECTION_PER_ITEM = os.environ.get("RATE_LIMIT_OBJECTION_PER_ITEM", "5/d")
# The public status lookup by 受理编号 and 统一社会信用代码 (each lookup is audited).
RATE_LIMIT_STATUS_LOOKUP = os.environ.get("RATE_LIMIT_STATUS_LOOKUP", "10/m,60/h,200/d")
RATE_LIMIT_EVALUATE = os.environ.get("RATE_LIMIT_EVALUATE", "60/m")  # POST /api/v1/evaluate
# The 公示 xlsx: each anonymous download writes an audit row (the trail cannot be purged).
RATE_LIMIT_PUBLIC_DOWNLOAD = os.environ.get("RATE_LIMIT_PUBLIC_DOWNLOAD", "20/m,200/h,1000/d")
OTP_TOTP_ISSUER = "安徽政策兑现平台"
# Lockout is by account and address (AXES_LOCKOUT_PARAMETERS above): an office behind one NAT
# address never locks its other accounts out; per-address flooding is limited by
# duixian.core.ratelimit on the login page.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Audit rows are kept for the batch plus this many months; never less than 6 (a system check
# refuses a smaller value: Cybersecurity Law, art. 21).
AUDIT_RETENTION_MONTHS = int(os.environ.get("AUDIT_RETENTION_MONTHS", "36"))
# The audit chain is keyed (HMAC-SM3) with this key, which is never stored in the database; the
# head is checkpointed to AUDIT_ANCHOR_PATH, the log and every backup (duixian/audit/anchors.py,
# docs/security.md). Demo and tests use the published development key below; `duixian check
# --deploy` refuses it (duixian.audit.E002) and the systemd units do not start without it.
AUDIT_CHAIN_KEY = os.environ.get("AUDIT_CHAIN_KEY", "")
AUDIT_CHAIN_KEY_FROM_ENVIRONMENT = bool(AUDIT_CHAIN_KEY)
if not AUDIT_CHAIN_KEY:
    AUDIT_CHAIN_KEY = "duixian-development-audit-chain-key-not-secret"
AUDIT_ANCHOR_PATH = Path(os.environ.get("AUDIT_ANCHOR_PATH", VAR_DIR / "audit-anchors.log"))
AUDIT_ANCHOR_LOG_SECONDS = int(os.environ.get("AUDIT_ANCHOR_LOG_SECONDS", "60"))
# Mail: the one-time links to set a password (accounts.services: a reset never shows a credential
# to an administrator) and courtesy copies of notifications. Demo and DEBUG write each message
# as a file under var/mail/ instead of sending it.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
                               if DEBUG or DEMO_MODE else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
# Text messages (the matching's pushes, issue 19): the gateway class, a dotted path with a
# `send(phone, text)` method (duixian.core.sms). The default only logs each message.
SMS_GATEWAY = os.environ.get("SMS_GATEWAY", "duixian.core.sms.LoggingGateway")
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(24 * 3600)))  # the mailed link

# Metering files: the browser upload and the push API (POST /api/v1/metering) each refuse a
# larger body (413 for the API, from its Content-Length, before anything is read). Bigger data
# goes in several pushes (imports add up, idempotent on record_id) or `duixian subsidy import`.
METERING_UPLOAD_MAX_MB = int(os.environ.get("METERING_UPLOAD_MAX_MB", "200"))
METERING_API_MAX_MB = int(os.environ.get("METERING_API_MAX_MB", "200"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "duixian" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# duixian/ is a package, not an app: its static folder must be named for the finders.
STATICFILES_DIRS = [BASE_DIR / "duixian" / "static"]
# Files a browser asks for at the site root (/favicon.ico), served by WhiteNoise as they are.
WHITENOISE_ROOT = BASE_DIR / "duixian" / "static_root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Materials live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = None
# Metering files (Parquet) kept for the compute subsidy; backed up with the materials (duixian backup).
# DuckDB reads them as local files: with web and workers on several machines, one shared folder.
METERING_ROOT = Path(os.environ.get("METERING_ROOT", VAR_DIR / "metering"))
# Production: materials in S3-compatible object storage (MinIO, OBS, OSS, COS...) when a bucket is
# named. Needs the optional extra: pip install 'duixian[s3]' (django-storages + boto3).
if os.environ.get("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", "duixian"),
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
            "default_acl": None,  # the bucket is private; files are served only by checked views
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }

# Sign-in through the province's unified identity service (统一身份认证) over OpenID Connect
# (issue 21; docs/deploy.md "Unified identity"). Off unless OIDC_ISSUER is set: then the sign-in
# page is exactly the password form. The claim names are the provider's; Anhui's defaults below.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_ENABLED = bool(OIDC_ISSUER)
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid profile phone")
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "统一身份认证")
OIDC_CLAIM_SUBJECT = os.environ.get("OIDC_CLAIM_SUBJECT", "sub")  # the person (not the legal person)
OIDC_CLAIM_USCC = os.environ.get("OIDC_CLAIM_USCC", "uscc")  # present: a legal-person (法人) login
OIDC_CLAIM_ORG_NAME = os.environ.get("OIDC_CLAIM_ORG_NAME", "org_name")
OIDC_CLAIM_NAME = os.environ.get("OIDC_CLAIM_NAME", "name")
OIDC_CLAIM_PHONE = os.environ.get("OIDC_CLAIM_PHONE", "phone_number")
# Roles that may not sign in with a local password once the service is configured.
OIDC_REQUIRED_ROLES = env_list("OIDC_REQUIRED_ROLES")
# `acr` values and `amr` methods that count as a second factor: staff then skip the TOTP step.
OIDC_MFA_ACR = env_list("OIDC_MFA_ACR")
OIDC_MFA_AMR = env_list("OIDC_MFA_AMR", "mfa,otp,hwk,sms,face")
OIDC_TIMEOUT_SECONDS = int(os.environ.get("OIDC_TIMEOUT_SECONDS", "10"))

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/"

# Database sessions, read with one hand-written SELECT (cheaper in CPU than the ORM's query).
SESSION_ENGINE = "duixian.accounts.sessions"
SESSION_COOKIE_AGE = 30 * 60
# Idle timeout: 30 minutes after the last request. The expiry moves forward at most once a
# minute (accounts.middleware.SlidingSessionMiddleware), not with a database write per request,
# so a session ends between 29 and 30 minutes after the last request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", "60"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and not DEMO_MODE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind a TLS-terminating proxy (nginx, SLB): trust its X-Forwarded-Proto so request.is_secure()
# is right and secure cookies/redirects work. Only set this when the proxy overwrites the header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY") else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
# How many reverse proxies of ours sit in front (client addresses for audit, lockout, rate limits).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# Opt in only once the whole domain serves HTTPS for good (deploy/duixian.env.example sets it).
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp 3.8): everything from our own origin, no inline script or
# style, no framing. Templates put scripts in static files and pass data with json_script.
CSP_DEFAULT_SRC = ("'self'",)
CSP_SCRIPT_SRC = ("'self'",)
CSP_STYLE_SRC = ("'self'",)
CSP_IMG_SRC = ("'self'", "data:")
CSP_FONT_SRC = ("'self'",)
CSP_CONNECT_SRC = ("'self'",)
CSP_OBJECT_SRC = ("'none'",)
CSP_BASE_URI = ("'none'",)
CSP_FORM_ACTION = ("'self'",)
if OIDC_ENABLED:  # 退出 posts to us, then goes on to the provider's end-session page (RP-initiated logout)
    from urllib.parse import urlsplit as _urlsplit

    CSP_FORM_ACTION += ("{0.scheme}://{0.netloc}".format(_urlsplit(OIDC_ISSUER)),)
CSP_FRAME_ANCESTORS = ("'none'",)
# The interactive API docs page (django-ninja's Swagger UI) uses inline script.
CSP_EXCLUDE_URL_PREFIXES = ("/api/v1/docs",)

MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Registry matching (issue 11): project and park names at least this similar (rapidfuzz ratio,
# 0-100, after normalisation) count as the same project when the USCC matches too.
REGISTRY_NAME_THRESHOLD = int(os.environ.get("REGISTRY_NAME_THRESHOLD", "85"))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Submit presses are written at once and checked by a worker (applications/receipts.py): on in
# production with `duixian worker` running, so the last-hour surge costs the web servers little.
# Off (the embedded default), the check runs in the request itself.
SUBMISSIONS_QUEUED = env_bool("SUBMISSIONS_QUEUED", False)
# `duixian worker` leases (duixian/ops/leases.py): a task whose worker stops renewing its lease
# for this long is re-queued, at most TASK_MAX_ATTEMPTS claims in all.
TASK_LEASE_SECONDS = int(os.environ.get("TASK_LEASE_SECONDS", "60"))
TASK_HEARTBEAT_SECONDS = int(os.environ.get("TASK_HEARTBEAT_SECONDS", "15"))
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "3"))
# A submit press or a task still waiting after this long means the workers are down or too few:
# the queues page (/ops/queues/) says so and `duixian queue` exits 1 (docs/deploy.md).
QUEUE_ALERT_SECONDS = int(os.environ.get("QUEUE_ALERT_SECONDS", "120"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One line per record to stdout; under systemd, journald adds host and unit (docs/deploy.md).
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Checkpoints of the audit chain's head: a copy outside the database (duixian/audit/anchors.py).
    "loggers": {"duixian.audit.anchor": {"level": "INFO"}},
}
