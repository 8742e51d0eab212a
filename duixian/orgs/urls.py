from django.urls import path

from duixian.orgs import views

app_name = "orgs"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("join/<str:token>/", views.join, name="join"),
    path("mine/", views.mine, name="mine"),
    path("mine/letter/", views.letter_upload, name="letter_upload"),
    path("mine/city/", views.change_city, name="change_city"),
    path("mine/people/", views.people, name="people"),
    path("mine/people/<id:user_id>/remove/", views.member_remove, name="member_remove"),
    path("mine/people/<id:user_id>/role/", views.member_role, name="member_role"),
    path("mine/invitations/<id:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("mine/profile/", views.profile, name="profile"),
    path("letters/<id:pk>/", views.letter_file, name="letter_file"),
    path("review/", views.review_list, name="review_list"),
    path("<id:pk>/", views.review, name="review"),
    path("<id:pk>/confirm/", views.confirm, name="confirm"),
    path("<id:pk>/reject/", views.reject, name="reject"),
    path("<id:pk>/transfer/", views.transfer, name="transfer"),
]
