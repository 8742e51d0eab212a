"""Who may open the reading help (see duixian.accounts.access for the format).

The 解读 pages and the search are public like the notice; editing a 解读 (and its history, shown
on the edit page) is the province's."""

from duixian.accounts.access import ALL, EVERY_ROLE, UrlAccess
from duixian.accounts.roles import Role

URL_ACCESS = [
    UrlAccess("guidance:index", public=True, roles=EVERY_ROLE),
    UrlAccess("guidance:search", public=True, roles=EVERY_ROLE, query="q=场景需要投入使用吗",
              note="quotes the notice, the FAQ and the 解读; stores nothing"),
    UrlAccess("guidance:clause", public=True, roles=EVERY_ROLE, make=lambda scope: {"clause": 2}),
    UrlAccess("guidance:edit", roles={Role.PROVINCE: ALL}, make=lambda scope: {"clause": 2},
              note="GET shows the form and the revision history; POST saves a new revision (audited)"),
]
