from datetime import timedelta

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.access import patient_required
from diary.dates import last_night, patient_today
from diary.nights import days_between, first_logged_night, nights_between

DAYS_PER_PAGE = 28


@patient_required
def history(request):
    """Every night from last night back to the first one logged, unlogged ones included."""
    latest = last_night(patient_today(request.user))
    first_logged = first_logged_night(request.user)
    earliest = min(first_logged or latest, latest)
    # Page over calendar days, not rows, so that the gaps between logged nights show.
    page = Paginator(days_between(earliest, latest), DAYS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    days = list(page)
    logged = nights_between(patient=request.user, first=days[-1], last=days[0])
    return render(
        request,
        "diary/history.html",
        {
            "page": page,
            "days": [(day, logged.get(day)) for day in days],
            "latest": latest,
            "has_any": first_logged is not None,
            "older_than_page": days[-1] - timedelta(days=1),
        },
    )
