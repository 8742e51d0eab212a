"""Shared fixtures: users of every role, organisations in two cities, a frozen clock."""

import tempfile
from pathlib import Path

import pytest
from django.conf import settings as _settings_module

from duixian.accounts.models import User
from duixian.authz.roles import Role
from duixian.orgs.models import OrgKind, OrgStatus, Organisation

PASSWORD = "Test#2026pw"

# Module-scoped fixtures seal audit rows before any per-test setting applies: their checkpoints
# go to a throwaway file, never to var/audit-anchors.log of a developer's own database.
_settings_module.AUDIT_ANCHOR_PATH = Path(tempfile.mkdtemp(prefix="duixian-test-anchors-")) / "audit-anchors.log"


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.METERING_ROOT = tmp_path / "metering"
    settings.AUDIT_ANCHOR_PATH = tmp_path / "audit-anchors.log"  # checkpoints of this test's audit chain
    # PBKDF2 with Django's production work factor takes over a second a hash here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    cache.clear()  # rate-limit counters must not leak from one test into the next
    yield
    # LocaleMiddleware leaves the last request's language active in the thread: a test that
    # browsed in English must not make the next test's messages English.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


def make_org(uscc: str, name: str, city_code: str, kind: str = OrgKind.ENTERPRISE) -> Organisation:
    return Organisation.objects.create(
        uscc=uscc, name=name, kind=kind, region_code=city_code, city_code=city_code, in_anhui=True,
        status=OrgStatus.CONFIRMED, independent_legal_person=True, agi_enterprise=True,
        owns_ip=True, credit_good=True, major_violation=False,
    )


def make_user(username: str, role: str, **extra) -> User:
    extra.setdefault("email", f"{username}@example.com")  # the registered address (password links)
    user = User(username=username, role=role, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def hefei_org(db):
    return make_org("91340100MA2RXH7Q95", "合肥测试科技有限公司", "340100")


@pytest.fixture
def wuhu_org(db):
    return make_org("91340200MA2N8K3L1T", "芜湖测试科技有限公司", "340200")


@pytest.fixture
def users(db, hefei_org, wuhu_org):
    return {
        "hefei_applicant": make_user("hefei_applicant", Role.APPLICANT, organisation=hefei_org),
        "wuhu_applicant": make_user("wuhu_applicant", Role.APPLICANT, organisation=wuhu_org),
        "hefei_clerk": make_user("hefei_clerk", Role.CITY_CLERK, city_code="340100"),
        "wuhu_clerk": make_user("wuhu_clerk", Role.CITY_CLERK, city_code="340200"),
        "province": make_user("province", Role.PROVINCE),
        "expert": make_user("expert", Role.EXPERT),
        "system_admin": make_user("sysadmin", Role.SYSTEM_ADMIN),
        "security_admin": make_user("secadmin", Role.SECURITY_ADMIN),
        "audit_admin": make_user("auditadmin", Role.AUDIT_ADMIN),
    }


# --- Signing in past the second factor (issue 9) ------------------------------------------
# Staff (clerks, province, experts, the three administrators) must pass a TOTP code after the
# password; in production a session without it is sent to /accounts/otp/. In the test suite
# `client.force_login(user)` signs in fully (the fixture below marks the session verified), so
# view tests need nothing special; `otp_login(client, user)` says the same explicitly. A test
# that wants the raw, unverified session asks for the `real_otp` fixture. Browser tests log in
# through the form and type `totp_code(user)` on the code page.


@pytest.fixture
def real_otp():
    """Ask for this fixture to keep `force_login` sessions unverified, as in production."""


@pytest.fixture(autouse=True)
def _force_login_passes_otp(request, monkeypatch):
    if "real_otp" in request.fixturenames:
        return
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        _mark_otp_verified(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


def _mark_otp_verified(client, user):
    from django_otp import DEVICE_ID_SESSION_KEY

    from duixian.accounts.policy import otp_required

    if otp_required(user):
        from duixian.accounts.otp import demo_totp_device

        device = demo_totp_device(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def otp_login(client, user):
    """Sign `user` in as after password + one-time code; applicants without a device need no code."""
    client.force_login(user)
    _mark_otp_verified(client, user)
    return client


def totp_code(user) -> str:
    """The code a user's authenticator would show now (gives them the demo secret if they have none).

    A code is accepted once; a second login inside the same 30 s gets the next step's code,
    which the server's tolerance of one step accepts.
    """
    from duixian.accounts.otp import current_code, demo_totp_device

    return current_code(demo_totp_device(user), fresh=True)


@pytest.fixture
def login(db):
    """`login(client, user)`: fully signed in, whatever the role."""
    return otp_login


# Django's live server also serves MEDIA_URL, which we leave unset on purpose (materials are
# served only by permission-checked views); with None its media handler crashes on every request.
# It must serve nothing, here as in production.
from django.test import testcases as _testcases  # noqa: E402

_testcases._MediaFilesHandler._should_handle = lambda self, path: False


# pytest-django empties tables between transactional tests with TRUNCATE; on PostgreSQL the
# audit trail refuses that unless the session says so, as `duixian restore` does.
from django.db.backends.signals import connection_created  # noqa: E402


def _allow_test_teardown_truncate(sender, connection, **kwargs):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET duixian.audit_truncate = 'on'")


connection_created.connect(_allow_test_teardown_truncate, dispatch_uid="duixian-test-truncate")


@pytest.fixture(autouse=True)
def _browser_tests_may_touch_the_orm(request, monkeypatch):
    # Playwright's sync API runs an event loop in the test's thread, so Django's async-safety
    # guard would refuse ORM calls from a browser test's body. Scoped to tests marked `browser`.
    if request.node.get_closest_marker("browser"):
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# ---- browser tests: Debian's Chromium driven by Playwright (it cannot download its own here) ----
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser(live_server):
    """A headless Chromium for one test; skipped where Debian's chromium is not installed."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium fonts-wqy-microhei)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def new_page(browser, **context_options):
    """A page as a Chinese-speaking user on a desktop sees it."""
    options = {"viewport": {"width": 1280, "height": 1000}, "locale": "zh-CN", **context_options}
    page = browser.new_context(**options).new_page()
    page.set_default_timeout(15000)
    return page


def browser_sign_in(page, base: str, user, *, password: str = PASSWORD) -> None:
    """Log in through the form; staff then type their authenticator's one-time code."""
    from duixian.authz.roles import STAFF_ROLES

    if user.role in STAFF_ROLES:
        totp_code(user)  # staff already have an authenticator (the demo secret)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("form button[type=submit]:has-text('登录')")
    if user.role in STAFF_ROLES:
        page.wait_for_selector("#id_token")
        page.fill("#id_token", totp_code(user))
        page.locator("#id_token").press("Enter")
    page.wait_for_url(lambda url: "/accounts/" not in url)


def browser_sign_out(page) -> None:
    page.click("header button:has-text('退出')")
    page.wait_for_load_state()


@pytest.fixture(autouse=True)
def _no_pack_memo_from_an_earlier_test():
    # The per-request pack memo ends with request_finished; a test-client response that was never
    # closed (a streamed download) would leave it set in this thread for the next test.
    from duixian.policy.active import _request_memo

    _request_memo.set(None)
