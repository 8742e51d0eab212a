from django.urls import path

from duixian.guidance import views

app_name = "guidance"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("clause/<int:clause>/", views.clause, name="clause"),
    path("clause/<int:clause>/edit/", views.edit, name="edit"),
]
