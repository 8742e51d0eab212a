from django.urls import path

from duixian.exports import views

app_name = "exports"
urlpatterns = [
    path("city/<city:city_code>/summary.<str:fmt>", views.summary, name="summary"),
    path("city/<city:city_code>/letter.docx", views.letter, name="letter"),
    path("city/<city:city_code>/materials.zip", views.materials, name="materials"),
    path("city/<city:city_code>/versions/", views.versions, name="versions"),
    path("city/<city:city_code>/versions/<id:pk>/", views.version, name="version"),
]
