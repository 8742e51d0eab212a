"""Browser tests drive Debian's Chromium against pytest-django's live server."""

import pytest


@pytest.fixture(autouse=True)
def _sync_playwright_may_touch_the_orm(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django's async-safety guard would
    # refuse ORM calls from the test body. Scoped to browser tests so nothing else inherits it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
