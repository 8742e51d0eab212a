from django.urls import path

from duixian.exports import views

app_name = "exports"
urlpatterns = [
    path("city/<str:city_code>/summary.<str:fmt>", views.summary, name="summary"),
    path("city/<str:city_code>/letter.docx", views.letter, name="letter"),
    path("city/<str:city_code>/materials.zip", views.materials, name="materials"),
    path("city/<str:city_code>/versions/", views.versions, name="versions"),
    path("city/<str:city_code>/versions/<int:pk>/", views.version, name="version"),
]
