from django.urls import path

from duixian.ops import views

app_name = "ops"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("ops/tasks/<uuid:task_id>/progress/", views.task_progress_view, name="task_progress"),
    path("ops/queues/", views.queues_view, name="queues"),
]
