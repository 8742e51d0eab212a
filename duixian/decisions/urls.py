from django.urls import path

from duixian.decisions import views

app_name = "decisions"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("receipts/<city:city_code>/", views.receipt_record, name="receipt"),
    path("review/", views.review, name="review"),
    path("applications/", views.decisions_list, name="list"),
    path("applications/batch/", views.decisions_batch, name="batch"),
    path("applications/<id:pk>/", views.application_detail, name="application"),
    path("applications/<id:pk>/assign/", views.assign, name="assign"),
    path("applications/<id:pk>/approve/", views.approve, name="approve"),
    path("applications/<id:pk>/reject/", views.reject, name="reject"),
    path("applications/<id:pk>/funding/", views.funding, name="funding"),
    path("publications/", views.publications, name="publications"),
    path("publications/<id:pk>/", views.publication_detail, name="publication"),
    path("objections/<id:pk>/answer/", views.objection_answer, name="objection_answer"),
    path("objections/attachments/<id:pk>/", views.objection_attachment, name="objection_attachment"),
    path("expert/", views.expert_home, name="expert_home"),
    path("expert/assignments/<id:pk>/", views.expert_assignment, name="expert_assignment"),
    path("expert/assignments/<id:pk>/materials/<id:material_id>/", views.expert_material, name="expert_material"),
    path("expert/assignments/<id:pk>/materials/<id:material_id>/preview/", views.expert_material_preview,
         name="expert_material_preview"),
]
