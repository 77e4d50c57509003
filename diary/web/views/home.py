from datetime import timedelta

from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe

from diary.services.dates import last_night, patient_today
from diary.services.nights import days_between, diary_start
from diary.services.reports import chart, report_for

GLANCE_NIGHTS = 7


def home(request):
    """One address for everyone: visitors learn what this is, each role gets its own start."""
    if not request.user.is_authenticated:
        return render(request, "diary/landing.html")
    if request.user.is_clinician:
        return redirect("clinic")
    latest = last_night(patient_today(request.user))
    # Eight whole weeks, Monday first, ending with this week; none from before the diary began.
    monday = latest - timedelta(days=latest.weekday())
    starts = diary_start(request.user)
    first_week = max(monday - timedelta(weeks=7), starts - timedelta(days=starts.weekday()))
    report = report_for(patient=request.user, first=min(first_week, monday), last=latest)
    logged = {night.night: night for night in report.nights}
    first = latest - timedelta(days=GLANCE_NIGHTS - 1)
    return render(
        request,
        "diary/home.html",
        {
            "latest": latest,
            "last_night": logged.get(latest),
            "glance": [(day, logged.get(day)) for day in days_between(first, latest)],
            "report": report,
            "frequency_chart": mark_safe(chart(report, "frequency").decode()),
        },
    )
