"""How the matrix builds the audit pages' URLs (see duixian.accounts.access); who may open them is
audit.read (duixian/accounts/permissions.py): the audit administrator alone."""

from duixian.accounts.access import UrlAccess

URL_ACCESS = [
    UrlAccess("audit:search"),
    UrlAccess("audit:export"),
    UrlAccess("audit:verify"),
]
