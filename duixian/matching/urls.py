from django.urls import path

from duixian.matching import views

app_name = "matching"
urlpatterns = [
    path("channels/", views.channels, name="channels"),
]
