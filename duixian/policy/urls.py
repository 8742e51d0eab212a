from django.urls import path

from . import views

app_name = "policy"
urlpatterns = [
    path("", views.choose, name="choose"),
    path("<int:clause>/", views.check, name="check"),
    path("notice/", views.notice, name="notice"),
]
