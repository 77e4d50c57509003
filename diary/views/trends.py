from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from accounts.access import patient_required
from diary.dates import last_night, patient_today
from diary.forms import RangeForm
from diary.nights import diary_start
from diary.reports import CHART_NAMES, chart, report_for


def range_form(request, patient, default_days=30) -> RangeForm:
    """The range chooser of a trends or summary page, bound to the query string."""
    return RangeForm(
        request.GET or None,
        latest=last_night(patient_today(patient)),
        first_logged=diary_start(patient),
        default_days=default_days,
    )


def _report(request):
    form = range_form(request, request.user)
    first, last = form.nights()
    return form, report_for(
        patient=request.user,
        first=first,
        last=last,
        diary_starts=form.first_logged if form.moved_to_diary_start else None,
    )


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
