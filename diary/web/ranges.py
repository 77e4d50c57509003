"""The range of nights a trends or summary page shows, chosen in its query string."""

from diary.domain.stats import TRENDS_DAYS
from diary.services.dates import last_night, patient_today
from diary.services.nights import diary_start
from diary.services.summaries import SummaryRange
from diary.web.forms import RangeForm

SUMMARY_DAYS = 90


def range_form(request, patient, default_days=TRENDS_DAYS) -> RangeForm:
    """The range chooser of a trends or summary page, bound to the query string."""
    return RangeForm(
        request.GET or None,
        latest=last_night(patient_today(patient)),
        first_logged=diary_start(patient),
        default_days=default_days,
    )


def summary_range(request, patient, link=None) -> tuple[RangeForm, SummaryRange]:
    """The summary's range chooser and the nights it covers: on a clinician's page, from the
    clinician's last appointment by default when there is one."""
    form = range_form(request, patient, default_days=SUMMARY_DAYS)
    first, last = form.nights()
    since_appointment = bool(
        not request.GET and link and link.last_appointment and link.last_appointment <= last
    )
    if since_appointment:
        first, last = form.nights(since=link.last_appointment)
    nights = SummaryRange(
        first=first,
        last=last,
        diary_starts=form.first_logged if form.moved_to_diary_start else None,
        since_appointment=since_appointment,
    )
    return form, nights
