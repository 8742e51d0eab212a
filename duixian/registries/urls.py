from django.urls import path

from duixian.registries import views

app_name = "registries"
urlpatterns = [
    path("", views.home, name="home"),
    path("import/", views.import_file, name="import"),
    path("templates/<str:kind>.<str:fmt>", views.template_download, name="template"),
    path("versions/<id:pk>/", views.version_detail, name="version"),
    path("versions/<id:pk>/withdraw/", views.version_withdraw, name="withdraw"),
    path("parks/obligations/", views.obligations, name="obligations"),
    path("parks/obligations/remind/", views.remind, name="remind"),
    path("findings/", views.findings, name="findings"),
    path("applications/<id:pk>/", views.application_check, name="application"),
    path("my-obligations/", views.my_obligations, name="my_obligations"),
]
