"""The first-run page after sign-up (/start/): a few health answers and the morning reminder,
all optional and skippable, and how to put the diary on the home screen."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.access import patient_required
from diary.services.profiles import health_profile_of, profile_save
from diary.web.forms import StartForm


@patient_required
@require_http_methods(["GET", "POST"])
def start(request):
    profile = health_profile_of(request.user)
    form = StartForm(request.POST if request.method == "POST" else None, profile=profile)
    if request.method == "POST" and form.is_valid():
        profile_save(user=request.user, forms=[form])  # the rules see the answers at once
        return redirect("home")
    return render(request, "diary/start.html", {"form": form})
