"""The app's URLs and the bare view load runs compare with: "ok", through the same middleware."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench-bare/", bare), path("", include("config.urls"))]
