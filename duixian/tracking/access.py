"""How the matrix builds the tracking pages' URLs (see duixian.authz.access for the format).

Who may open them is the actions their views declare (duixian/tracking/permissions.py). The
lookup by 受理编号 is public (it shows no personal data)."""

from duixian.authz.access import UrlAccess
from duixian.applications.access import recommended

URL_ACCESS = [
    UrlAccess("tracking:lookup", public=True,
              note="受理编号 and 统一社会信用代码 together; rate-limited per address; audited"),
    UrlAccess("tracking:rate", post_only=True,
              make=lambda scope: {"pk": recommended(scope).pk},
              note="the organisation's editors rate a decided stage once (好差评)"),
    UrlAccess("tracking:ratings"),
]
