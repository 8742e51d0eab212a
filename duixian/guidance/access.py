"""How the matrix builds the reading help's URLs (see duixian.authz.access for the format).

Who may open them is the actions their views declare: the 解读 pages and the search are public
like the notice (anyone); editing a 解读 (and its history, shown on the edit page) is the
province's (guidance.edit)."""

from duixian.authz.access import UrlAccess

URL_ACCESS = [
    UrlAccess("guidance:index", public=True),
    UrlAccess("guidance:search", public=True, query="q=场景需要投入使用吗",
              note="quotes the notice, the FAQ and the 解读; stores nothing"),
    UrlAccess("guidance:clause", public=True, make=lambda scope: {"clause": 2}),
    UrlAccess("guidance:edit", make=lambda scope: {"clause": 2},
              note="GET shows the form and the revision history; POST saves a new revision (audited)"),
]
