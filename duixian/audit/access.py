"""How the matrix builds the audit pages' URLs (see duixian.authz.access); who may open them is
audit.read (duixian/accounts/permissions.py): the audit administrator alone."""

from duixian.authz.access import UrlAccess

URL_ACCESS = [
    UrlAccess("audit:search"),
    UrlAccess("audit:export"),
    UrlAccess("audit:verify"),
]
