"""How the matrix builds the matching's URL (see duixian.authz.access for the format); who may
open it is the action its view declares (duixian/matching/permissions.py).

The matches are shown on the dashboard (core:dashboard) to the organisation's members only; the
one page here is each member's own choice of channels."""

from duixian.authz.access import UrlAccess

URL_ACCESS = [
    UrlAccess("matching:channels",
              note="the signed-in member's own channels for the matching's messages"),
]
