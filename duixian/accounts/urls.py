from django.urls import path

from duixian.accounts import admin_views, oidc_views, views
from duixian.authz import requires

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", requires("anyone")(oidc_views.LogoutView.as_view()), name="logout"),
    # the unified identity service (统一身份认证, OpenID Connect; issue 21)
    path("oidc/start/", oidc_views.start, name="oidc_start"),
    path("oidc/callback/", oidc_views.callback, name="oidc_callback"),
    path("oidc/link/", oidc_views.link, name="oidc_link"),
    path("password/", requires("signed_in")(views.PasswordChangeView.as_view()), name="password_change"),
    path("password/set/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("otp/", views.otp_verify, name="otp_verify"),
    path("otp/enrol/", views.otp_enrol, name="otp_enrol"),
    path("security/", views.security, name="security"),
    path("security/identity/<id:pk>/unlink/", views.identity_unlink, name="identity_unlink"),
    # 三员分立: system administrator (accounts), security administrator (roles and policies)
    path("manage/users/", admin_views.users_list, name="manage_users"),
    path("manage/users/new/", admin_views.user_create, name="manage_user_create"),
    path("manage/users/<id:pk>/", admin_views.user_detail, name="manage_user"),
    path("manage/users/<id:pk>/identity/<id:link_pk>/unlink/", admin_views.user_identity_unlink,
         name="manage_user_identity_unlink"),
    path("manage/users/<id:pk>/<str:action>/", admin_views.user_action, name="manage_user_action"),
    path("manage/roles/", admin_views.roles, name="manage_roles"),
    path("manage/roles/<id:pk>/revoke/", admin_views.role_revoke, name="manage_role_revoke"),
    # login lockouts: the organisation's 经办人 (own people) or the security administrator
    path("lockouts/", admin_views.lockouts, name="lockouts"),
    path("lockouts/unlock/", admin_views.lockout_release, name="lockout_release"),
]
