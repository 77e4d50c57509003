from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe

from diary.domain.greetings import part_of_day
from diary.domain.stats import home_firsts
from diary.services.dates import last_night, patient_hour, patient_today
from diary.services.nights import days_between, diary_start
from diary.services.reports import chart, report_for


def home(request):
    """One address for everyone: visitors learn what this is, each role gets its own start."""
    if not request.user.is_authenticated:
        return render(request, "diary/landing.html")
    if request.user.is_clinician:
        return redirect("clinic")
    latest = last_night(patient_today(request.user))
    chart_first, first = home_firsts(latest, starts=min(diary_start(request.user), latest))
    report = report_for(patient=request.user, first=chart_first, last=latest)
    logged = {night.night: night for night in report.nights}
    return render(
        request,
        "diary/home.html",
        {
            "latest": latest,
            "part_of_day": part_of_day(patient_hour(request.user)),
            "last_night": logged.get(latest),
            # Oldest on the left, as the chart under it runs.
            "glance": [(day, logged.get(day)) for day in reversed(days_between(first, latest))],
            "report": report,
            "frequency_chart": (
                mark_safe(chart(report, "frequency").decode()) if report.nights else ""
            ),
        },
    )
