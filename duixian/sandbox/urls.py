from django.urls import path

from duixian.sandbox import views

app_name = "sandbox"
urlpatterns = [
    path("", views.home, name="home"),
    path("export.xlsx", views.export_xlsx, name="export"),
]
