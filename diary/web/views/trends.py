from django.http import Http404, HttpResponse
from django.shortcuts import render

from accounts.access import patient_required
from diary.services.dates import last_night, patient_today
from diary.services.nights import diary_start
from diary.services.reports import (
    CHART_NAMES,
    CHART_SECONDS,
    CODE_VERSION,
    PageCharts,
    chart,
    range_report,
    trends_fragment_remember,
)
from diary.web.forms import RangeForm


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
    return form, range_report(
        patient=request.user,
        first=first,
        last=last,
        diary_starts=form.first_logged if form.moved_to_diary_start else None,
    )


@patient_required
def trends(request):
    """Statistics and charts for a range of nights, with what seems to help."""
    form, report = _report(request)
    trends_fragment_remember(report, request.GET.urlencode())
    return render(
        request,
        "diary/trends.html",
        {
            "form": form,
            "report": report,
            "charts": PageCharts(report),  # read only when the fragment is not in the cache
            "query": request.GET.urlencode(),
            # The page below the range chooser is kept in the cache per diary version, range,
            # query (its download links) and language, and for the code that draws it.
            "fragment_seconds": CHART_SECONDS,
            "code_version": CODE_VERSION,
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
