"""Who may open the platform-wide pages (see duixian.accounts.access for the format)."""

from duixian.accounts.access import ALL, EVERY_ROLE, UrlAccess
from duixian.accounts.roles import Role

URL_ACCESS = [
    UrlAccess("core:home", public=True, roles=EVERY_ROLE),
    UrlAccess("core:notice", public=True, roles=EVERY_ROLE),
    UrlAccess("core:notice_text", public=True, roles=EVERY_ROLE),
    UrlAccess("core:dashboard", roles=EVERY_ROLE),
    UrlAccess("core:announcements", roles={Role.PROVINCE: ALL}),
    UrlAccess("core:announcement_withdraw", roles={Role.PROVINCE: ALL}, post_only=True,
              make=lambda scope: {"pk": 1}),
    UrlAccess("core:demo_clock", roles={Role.PROVINCE: ALL}, ok_statuses=(200, 404),
              note="404 for everyone outside demo mode"),
    UrlAccess("set_language", public=True, roles=EVERY_ROLE, post_only=True),
    UrlAccess("core:care_mode", public=True, roles=EVERY_ROLE, post_only=True,
              note="适老化 switch: a cookie for whoever presses it, signed in or not"),
]
