from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from duixian.urls import urlpatterns as platform


@csrf_exempt
@login_not_required
def bare_insert(request):
    """The least a Django view that writes can do: one INSERT, no session, no template."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO surge_bare_insert (at) VALUES (now())")
    return HttpResponse("ok", content_type="text/plain")


def signed_in(request):
    """A signed-in page that does nothing: the fixed cost of the session, the user and the middleware."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/insert", bare_insert), path("bench/signed-in", signed_in), *platform]
