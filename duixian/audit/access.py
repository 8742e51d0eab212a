"""Only the audit administrator reads the audit trail (see duixian.accounts.access)."""

from duixian.accounts.access import ALL, UrlAccess
from duixian.accounts.roles import Role

URL_ACCESS = [
    UrlAccess("audit:search", roles={Role.AUDIT_ADMIN: ALL}),
    UrlAccess("audit:export", roles={Role.AUDIT_ADMIN: ALL}),
    UrlAccess("audit:verify", roles={Role.AUDIT_ADMIN: ALL}),
]
