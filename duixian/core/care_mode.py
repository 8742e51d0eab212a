"""适老化 (care) mode: larger text and higher contrast, chosen by the reader and kept in a cookie.

A cookie, not an account setting, so it works before signing in (the home page, the notice, the
login form) and on a shared computer it stays with the browser that chose it. It is a display
preference only: nothing in the platform's records changes, so nothing is audited.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from duixian.authz import requires

COOKIE = "duixian_care"
ONE_YEAR = 365 * 24 * 3600


def is_on(request) -> bool:
    return request.COOKIES.get(COOKIE) == "1"


@login_not_required
@require_POST
@requires("anyone")
def toggle(request):
    """Switch the mode on or off (the form says which) and go back to the page it was pressed on."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = "/"
    response = redirect(back)
    if request.POST.get("care") == "1":
        response.set_cookie(COOKIE, "1", max_age=ONE_YEAR, samesite="Lax", httponly=True,
                            secure=settings.SESSION_COOKIE_SECURE)
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    return response
