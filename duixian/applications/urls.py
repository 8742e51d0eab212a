from django.urls import path

from duixian.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.my_applications, name="list"),
    path("new/", views.application_new, name="new"),
    path("notifications/", views.notifications, name="notifications"),
    path("templates/<str:key>.docx", views.material_template, name="material_template"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/tasks/", views.tasks, name="tasks"),
    path("<int:pk>/section/<slug:key>/", views.section, name="section"),
    path("<int:pk>/materials/", views.materials, name="materials"),
    path("<int:pk>/materials/<slug:slot>/upload/", views.material_upload, name="material_upload"),
    path("<int:pk>/materials/file/<int:material_id>/", views.material_download, name="material_download"),
    path("<int:pk>/materials/file/<int:material_id>/preview/", views.material_preview, name="material_preview"),
    path("<int:pk>/check/", views.check_answers, name="check"),
    path("<int:pk>/confirmation/", views.confirmation, name="confirmation"),
    path("<int:pk>/confirmation/poll/", views.confirmation_poll, name="confirmation_poll"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/copy/", views.copy_application, name="copy"),
    path("<int:pk>/summary.docx", views.summary_docx, name="summary"),
]
