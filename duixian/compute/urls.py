from django.urls import path

from . import views

app_name = "compute"
urlpatterns = [
    path("", views.home, name="home"),
    path("imports/upload/", views.upload, name="upload"),
    path("runs/start/", views.run_start, name="run_start"),
    path("jobs/<id:pk>/", views.job, name="job"),
    path("runs/<id:pk>/", views.run_detail, name="run"),
    path("runs/<id:pk>/publish/", views.run_publish, name="run_publish"),
    path("runs/<id:pk>/export.xlsx", views.run_export, name="run_export"),
    path("results/<id:pk>/", views.result_detail, name="result"),
    path("results/<id:pk>/statement.docx", views.result_statement, name="result_statement"),
    path("objections/", views.objections, name="objections"),
    path("objections/<id:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("objections/<id:pk>/attachment/", views.objection_attachment, name="objection_attachment"),
    path("mine/", views.mine, name="mine"),
    path("mine/confirm/", views.mine_confirm, name="mine_confirm"),
    path("mine/object/", views.mine_object, name="mine_object"),
    path("mine/statement.docx", views.mine_statement, name="mine_statement"),
]
