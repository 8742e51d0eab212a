"""Logins, failed logins and logouts go to the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from duixian.audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record("login", user=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record("logout", user=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_record("login", request=request, outcome="failure", username=str(credentials.get("username", ""))[:150])


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    audit_record("login.locked", request=request, outcome="failure", username=str(username or "")[:150],
                 detail={"reason": "too_many_failures"})


try:  # django-axes: the lockout itself is an event of its own
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="duixian_audit_locked_out")
except ImportError:  # pragma: no cover
    pass
