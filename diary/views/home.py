from datetime import timedelta

from django.shortcuts import redirect, render

from accounts.access import clinician_required
from diary.dates import last_night, patient_today
from diary.nights import days_between, nights_between

GLANCE_NIGHTS = 7


def home(request):
    """One address for everyone: visitors learn what this is, each role gets its own start."""
    if not request.user.is_authenticated:
        return render(request, "diary/landing.html")
    if request.user.is_clinician:
        return redirect("clinic")
    latest = last_night(patient_today(request.user))
    first = latest - timedelta(days=GLANCE_NIGHTS - 1)
    logged = nights_between(patient=request.user, first=first, last=latest)
    return render(
        request,
        "diary/home.html",
        {
            "latest": latest,
            "last_night": logged.get(latest),
            "glance": [(day, logged.get(day)) for day in days_between(first, latest)],
        },
    )


@clinician_required
def clinic(request):
    return render(request, "diary/clinic.html")
