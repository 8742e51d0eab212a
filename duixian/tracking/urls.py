from django.urls import path

from duixian.tracking import views

app_name = "tracking"
urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("rate/<id:pk>/", views.rate, name="rate"),
    path("ratings/", views.ratings, name="ratings"),
]
