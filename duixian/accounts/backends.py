"""django-axes in front of the model backend.

Axes needs the request to count failures. Logins without one (the test client's `login()`,
scripts) are not web logins, so they are not counted, instead of failing outright.
"""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
