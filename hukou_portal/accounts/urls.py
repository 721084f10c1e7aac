from django.urls import path

from . import password_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("password/", password_views.password_change, name="password_change"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("second-factor/qr.svg", views.second_factor_qr, name="second_factor_qr"),
    path("offices/", views.office_list, name="office_list"),
    path("offices/new/", views.office_create, name="office_create"),
    path("offices/<int:pk>/", views.office_update, name="office_update"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_update, name="user_update"),
    path("users/<int:pk>/end-sessions/", views.user_end_sessions, name="user_end_sessions"),
    path("users/<int:pk>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/reset-second-factor/", views.user_reset_second_factor, name="user_reset_second_factor"),
]
