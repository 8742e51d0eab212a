from django.urls import path

from duixian.decisions import public_views as views

app_name = "public"
urlpatterns = [
    path("gongshi/", views.publication_list, name="publications"),
    path("gongshi/<id:pk>/", views.publication_page, name="publication"),
    path("gongshi/<id:pk>.xlsx", views.publication_xlsx, name="publication_xlsx"),
    path("gongshi/<id:pk>/objection/", views.objection_new, name="objection"),
    path("gongshi/<id:pk>/objection/done/", views.objection_done, name="objection_done"),
    path("gongshi/objection/lookup/", views.objection_lookup, name="objection_lookup"),
]
