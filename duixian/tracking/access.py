"""Who may open the tracking pages (see duixian.accounts.access for the format).

The lookup by 受理编号 is public (it shows no personal data); a rating is posted by the
application's own organisation; the ratings by city and stage are the province's alone."""

from duixian.accounts.access import ALL, EVERY_ROLE, OWN, UrlAccess
from duixian.accounts.roles import Role
from duixian.applications.access import recommended

URL_ACCESS = [
    UrlAccess("tracking:lookup", public=True, roles=EVERY_ROLE,
              note="受理编号 and 统一社会信用代码 together; rate-limited per address; audited"),
    UrlAccess("tracking:rate", roles={Role.APPLICANT: OWN}, post_only=True,
              make=lambda scope: {"pk": recommended(scope).pk},
              note="the organisation's editors rate a decided stage once (好差评)"),
    UrlAccess("tracking:ratings", roles={Role.PROVINCE: ALL}),
]
