"""Who may open the matching's pages (see duixian.accounts.access for the format).

The matches are shown on the dashboard (core:dashboard) to the organisation's members only; the
one page here is each member's own choice of channels."""

from duixian.accounts.access import OWN, UrlAccess
from duixian.accounts.roles import Role

URL_ACCESS = [
    UrlAccess("matching:channels", roles={Role.APPLICANT: OWN},
              note="the signed-in member's own channels for the matching's messages"),
]
