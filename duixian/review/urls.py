from django.urls import path

from duixian.review import views

app_name = "review"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("contact/", views.contact, name="contact"),
    path("expired/", views.expired, name="expired"),
    path("batch-recommend/", views.batch_recommend, name="batch_recommend"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/checklist/", views.checklist, name="checklist"),
    path("<id:pk>/act/<str:action>/", views.act, name="act"),
    path("<id:pk>/materials/<id:material_id>/view/", views.material_view, name="material_view"),
]
