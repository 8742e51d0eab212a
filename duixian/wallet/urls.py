from django.urls import path

from duixian.wallet import views

app_name = "wallet"
urlpatterns = [
    path("", views.wallet, name="list"),
    path("<id:pk>/download/", views.download, name="download"),
    path("<id:pk>/retire/", views.retire, name="retire"),
    path("attach/<id:pk>/<slug:slot>/", views.attach, name="attach"),
]
