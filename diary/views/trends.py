from django.db.models import Min
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from accounts.access import patient_required
from diary.dates import last_night, patient_today
from diary.forms import RangeForm
from diary.models import Night
from diary.reports import CHART_NAMES, chart, report_for


def _report(request):
    latest = last_night(patient_today(request.user))
    first_logged = Night.objects.filter(patient=request.user).aggregate(first=Min("date"))["first"]
    form = RangeForm(request.GET or None, latest=latest, first_logged=first_logged)
    first, last = form.nights()
    return form, report_for(patient=request.user, first=first, last=last)


@patient_required
def trends(request):
    """Statistics and charts for a range of nights, with what seems to help."""
    form, report = _report(request)
    return render(
        request,
        "diary/trends.html",
        {
            "form": form,
            "report": report,
            # Our own drawing, from numbers and fixed labels only: nothing a user typed.
            "charts": {name: mark_safe(chart(report, name).decode()) for name in CHART_NAMES},
            "query": request.GET.urlencode(),
        },
    )


@patient_required
def trends_chart(request, name: str, fmt: str):
    """One chart as a file to download (PNG) or open (SVG), for the same range as the page."""
    if name not in CHART_NAMES:
        raise Http404
    _form, report = _report(request)
    response = HttpResponse(
        chart(report, name, fmt), content_type="image/png" if fmt == "png" else "image/svg+xml"
    )
    filename = f"cramps-{name}-{report.first.isoformat()}-{report.last.isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
