from django.urls import path

from accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    # Before django.contrib.auth.urls (config/urls.py), so this limited view is the one used.
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("signup/", views.signup, name="signup"),
    path("confirm/resend/", views.confirm_email_resend, name="confirm_email_resend"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("delete/", views.account_delete, name="account_delete"),
]
