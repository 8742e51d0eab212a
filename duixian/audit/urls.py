from django.urls import path

from duixian.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.search, name="search"),
    path("export/", views.export, name="export"),
    path("verify/", views.verify, name="verify"),
]
