from django.urls import path

from duixian.decisions import views

app_name = "decisions"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("receipts/<str:city_code>/", views.receipt_record, name="receipt"),
    path("review/", views.review, name="review"),
    path("applications/", views.decisions_list, name="list"),
    path("applications/batch/", views.decisions_batch, name="batch"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/assign/", views.assign, name="assign"),
    path("applications/<int:pk>/approve/", views.approve, name="approve"),
    path("applications/<int:pk>/reject/", views.reject, name="reject"),
    path("applications/<int:pk>/funding/", views.funding, name="funding"),
    path("publications/", views.publications, name="publications"),
    path("publications/<int:pk>/", views.publication_detail, name="publication"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
    path("objections/attachments/<int:pk>/", views.objection_attachment, name="objection_attachment"),
    path("expert/", views.expert_home, name="expert_home"),
    path("expert/assignments/<int:pk>/", views.expert_assignment, name="expert_assignment"),
    path("expert/assignments/<int:pk>/materials/<int:material_id>/", views.expert_material, name="expert_material"),
    path("expert/assignments/<int:pk>/materials/<int:material_id>/preview/", views.expert_material_preview,
         name="expert_material_preview"),
]
