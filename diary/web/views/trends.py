"""/trends/: statistics and charts for a range of nights, and each chart as a file."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from accounts.access import patient_required
from diary.output.charts import FORMATS
from diary.services.reports import (
    CHART_SECONDS,
    CHARTS_BY_NAME,
    CODE_VERSION,
    PageCharts,
    chart,
    range_report,
    trends_fragment_remember,
)
from diary.web.ranges import range_form

CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


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
    if name not in CHARTS_BY_NAME or fmt not in FORMATS:
        raise Http404
    _form, report = _report(request)
    response = HttpResponse(chart(report, name, fmt), content_type=CONTENT_TYPES[fmt])
    filename = f"cramps-{name}-{report.first.isoformat()}-{report.last.isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
