"""The first-run page after sign-up (/start/): a few health answers and the morning reminder,
all optional and skippable, and how to put the diary on the home screen."""

from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.access import patient_required
from diary.models import HealthProfile
from diary.services.prompts import diary_changed
from diary.web.forms import StartForm


@patient_required
@require_http_methods(["GET", "POST"])
def start(request):
    profile, _created = HealthProfile.objects.get_or_create(patient=request.user)
    form = StartForm(request.POST if request.method == "POST" else None, profile=profile)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            diary_changed(patient=request.user)  # the profile changes what the rules see
        return redirect("home")
    return render(request, "diary/start.html", {"form": form})
