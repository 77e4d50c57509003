from django.urls import path

from diary import views

urlpatterns = [
    path("", views.home, name="home"),
    path("clinic/", views.clinic, name="clinic"),
]
