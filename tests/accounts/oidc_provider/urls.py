from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("login/", auth_views.LoginView.as_view(template_name="idp/login.html"), name="login"),
    # Whether this browser still has a session at the provider (the logout test asks).
    path("whoami/", lambda request: HttpResponse(request.user.username if request.user.is_authenticated else "-")),
]
