from django.urls import path

from accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("confirm/resend/", views.confirm_email_resend, name="confirm_email_resend"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("delete/", views.account_delete, name="account_delete"),
]
