from django.urls import path

from . import version_views, views

app_name = "policy"
urlpatterns = [
    path("", views.choose, name="choose"),
    path("<id:clause>/", views.check, name="check"),
    path("notice/", views.notice, name="notice"),
    # The province's pack versions (补充通知): list, upload → diff → confirm, roll back, download.
    path("versions/", version_views.versions, name="versions"),
    path("versions/confirm/", version_views.confirm, name="version_confirm"),
    path("versions/<id:pk>/activate/", version_views.activate, name="version_activate"),
    path("versions/<id:pk>/yaml/", version_views.download, name="version_download"),
]
