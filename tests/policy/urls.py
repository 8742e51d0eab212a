"""The project's URLs plus the self-check pages, in case the project does not mount them yet."""

from django.urls import include, path

from duixian.urls import urlpatterns as project

urlpatterns = list(project)
if not any(getattr(p, "namespace", None) == "policy" for p in project):
    urlpatterns.append(path("policy/", include("duixian.policy.urls")))
