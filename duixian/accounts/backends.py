"""django-axes in front of the model backend, and the model backend itself.

Axes needs the request to count failures. Logins without one (the test client's `login()`,
scripts) are not web logins, so they are not counted, instead of failing outright.
"""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

User = get_user_model()


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class AccountBackend(ModelBackend):
    """The model backend, loading a request's user together with what nearly every page asks
    about them: the organisation membership and whether a second factor is enrolled. One
    query per request instead of three."""

    def get_user(self, user_id):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        user = (User._default_manager.select_related("membership").annotate(totp_enrolled=Exists(enrolled))
                .filter(pk=user_id).first())
        return user if user is not None and self.user_can_authenticate(user) else None
