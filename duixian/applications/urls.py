from django.urls import path

from duixian.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.my_applications, name="list"),
    path("new/", views.application_new, name="new"),
    path("notifications/", views.notifications, name="notifications"),
    path("templates/<str:key>.docx", views.material_template, name="material_template"),
    path("<id:pk>/", views.application_detail, name="detail"),
    path("<id:pk>/tasks/", views.tasks, name="tasks"),
    path("<id:pk>/section/<slug:key>/", views.section, name="section"),
    path("<id:pk>/materials/", views.materials, name="materials"),
    path("<id:pk>/materials/<slug:slot>/upload/", views.material_upload, name="material_upload"),
    path("<id:pk>/materials/file/<id:material_id>/", views.material_download, name="material_download"),
    path("<id:pk>/materials/file/<id:material_id>/preview/", views.material_preview, name="material_preview"),
    path("<id:pk>/check/", views.check_answers, name="check"),
    path("<id:pk>/confirmation/", views.confirmation, name="confirmation"),
    path("<id:pk>/confirmation/poll/", views.confirmation_poll, name="confirmation_poll"),
    path("<id:pk>/status/", views.status, name="status"),
    path("<id:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<id:pk>/copy/", views.copy_application, name="copy"),
    path("<id:pk>/summary.docx", views.summary_docx, name="summary"),
]
