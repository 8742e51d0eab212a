"""How the matrix builds the platform-wide pages' URLs (see duixian.authz.access for the
format); who may open them is the actions their views declare (duixian/core/permissions.py)."""

from duixian.authz.access import UrlAccess

URL_ACCESS = [
    UrlAccess("core:home", public=True),
    UrlAccess("core:notice", public=True),
    UrlAccess("core:notice_text", public=True),
    UrlAccess("core:dashboard"),
    UrlAccess("core:announcements"),
    UrlAccess("core:announcement_withdraw", post_only=True,
              make=lambda scope: {"pk": 1}),
    UrlAccess("core:demo_clock", ok_statuses=(200, 404),
              note="core.demo_clock is the province's; outside demo mode the page is a 404 for everyone"),
    UrlAccess("set_language", public=True, post_only=True),
    UrlAccess("core:care_mode", public=True, post_only=True,
              note="适老化 switch: a cookie for whoever presses it, signed in or not"),
]
