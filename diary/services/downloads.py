"""The summary's downloads, listed once in DOWNLOADS: its format (in the address), content type
and builder, which the URLs, the summary page's buttons and the task worker read. Adding a format
is its entry and its builder.

The CSV and JSON are streamed: nights are read from the database a page at a time and written
out as they come, so a long diary is never held whole by a web worker. The PDF and the FHIR
export take longer: the task worker prepares them (diary.services.prepared) and the asker
downloads the file when it is ready.
"""

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from diary.domain import fhir
from diary.domain.exchange import diary_to_dict, night_to_dict
from diary.domain.records import NightRecord
from diary.models import Night, Prompt, night_records, treatment_records
from diary.output.exports import csv_lines, json_chunks
from diary.output.pdf import pdf_from_html
from diary.services.nights import diary_profile, nights_between
from diary.services.prompts import pressing_order
from diary.services.reports import CHARTS, chart
from diary.services.summaries import SummaryRange, summary_contents

PAGE = 500  # nights read per query


def nights_paged(*, patient, first: date | None = None, last: date | None = None) -> Iterator:
    """The patient's logged nights from first to last (all when not given), oldest first,
    read PAGE nights at a time (three queries a page: the page's dates, its nights, their
    cramps)."""
    rows = Night.objects.filter(patient=patient)
    if first is not None:
        rows = rows.filter(date__gte=first)
    if last is not None:
        rows = rows.filter(date__lte=last)
    after = None
    while True:
        page = rows if after is None else rows.filter(date__gt=after)
        dates = list(page.order_by("date").values_list("date", flat=True)[:PAGE])
        if not dates:
            return
        for _patient, record in night_records(rows.filter(date__range=(dates[0], dates[-1]))):
            yield record
        after = dates[-1]


def summary_csv(*, patient, first: date, last: date) -> Iterator[bytes]:
    """The summary's CSV of the range (diary.output.exports.csv_lines), a line at a time."""
    taken = [
        t
        for t in treatment_records(patient)
        if t.start <= last and (t.stop is None or t.stop >= first)
    ]
    nights: Iterator[NightRecord] = nights_paged(patient=patient, first=first, last=last)
    return (line.encode() for line in csv_lines(nights, taken))


def diary_json(*, patient) -> Iterator[bytes]:
    """The patient's whole diary in the exchange format, the same text as diary_export's
    JSON written with indent 1, a night at a time."""
    head = diary_to_dict(diary_profile(patient=patient), (), treatment_records(patient))
    nights = (night_to_dict(night) for night in nights_paged(patient=patient))
    return (chunk.encode() for chunk in json_chunks(head, "nights", nights))


# Builders. A streamed one: (patient, nights) -> chunks of bytes. A prepared one, run by the task
# worker: (patient, link, nights, params, progress) -> the file's bytes; `link` is the
# clinician's (None for the patient's own), `progress(percent)` tells the waiting page.


def _csv(patient, nights: SummaryRange) -> Iterator[bytes]:
    return summary_csv(patient=patient, first=nights.first, last=nights.last)


def _json(patient, nights: SummaryRange) -> Iterator[bytes]:
    return diary_json(patient=patient)


def chart_image(svg: bytes) -> SafeString:
    """A chart as an image of itself for the PDF: the same vector drawing, but kept out of the
    page's HTML, so WeasyPrint neither parses nor styles its hundreds of elements (a third of
    a PDF's time when they were inline). The tables beside each chart carry its numbers."""
    data = base64.b64encode(svg).decode()
    return format_html('<img class="chart" alt="" src="data:image/svg+xml;base64,{}">', data)


def _pdf(patient, link, nights: SummaryRange, params: dict, progress) -> bytes:
    contents = summary_contents(patient=patient, link=link, nights=nights)
    progress(30)
    report = contents["report"]
    images = {each.name: chart_image(chart(report, each.name)) for each in CHARTS}
    progress(50)
    html = render_to_string("diary/summary_print.html", {**contents, "charts": images})
    return pdf_from_html(html, settings.SITE_URL)


def _fhir(patient, link, nights: SummaryRange, params: dict, progress) -> bytes:
    profile = getattr(patient, "health_profile", None)
    runs = sorted(Prompt.objects.filter(patient=patient, ended__isnull=True), key=pressing_order)
    logged = list(nights_between(patient=patient, first=nights.first, last=nights.last).values())
    progress(40)
    bundle = fhir.diary_bundle(
        base=params["base"],
        patient=fhir.PatientRecord(
            public_id=patient.public_id,
            full_name=patient.full_name,
            birth_date=profile and profile.date_of_birth,
        ),
        nights=logged,
        prompts=[
            fhir.PromptRecord(
                rule=run.rule,
                level=run.get_level_display(),
                title=run.title,
                reason=run.clinician_reason,
                first_raised=run.first_raised,
            )
            for run in runs
        ],
        generated=timezone.now(),
        treatments=[
            t for t in treatment_records(patient) if t.taken_between(nights.first, nights.last)
        ],
    )
    progress(80)
    # Not indented: json's fast encoder writes only unindented JSON (a 10,000-night bundle
    # took 7 s to indent, and a third more bytes).
    return json.dumps(bundle, cls=DjangoJSONEncoder).encode()


@dataclass(frozen=True)
class Download:
    fmt: str  # in the address (/summary/<fmt>/), and the kind of a prepared file
    label: Promise  # the summary page's button
    content_type: str
    extension: str
    stream: Callable[..., Iterator[bytes]] | None = None  # streamed while the request lasts
    prepare: Callable[..., bytes] | None = None  # made by the task worker
    whole_diary: bool = False  # every night, whatever the range chosen
    clinicians_only: bool = False  # for the clinic's record system

    def filename(self, patient, nights: SummaryRange) -> str:
        if self.whole_diary:
            return f"night-cramp-diary-{patient.public_id}.{self.extension}"
        return f"cramp-summary-{patient.public_id}-{nights.first}-{nights.last}.{self.extension}"


DOWNLOADS = (
    Download("pdf", _("Download PDF"), "application/pdf", "pdf", prepare=_pdf),
    Download("csv", _("CSV"), "text/csv; charset=utf-8", "csv", stream=_csv),
    Download("json", _("JSON"), "application/json", "json", stream=_json, whole_diary=True),
    Download(
        "fhir",
        _("FHIR (JSON)"),
        "application/fhir+json",
        "fhir.json",
        prepare=_fhir,
        clinicians_only=True,
    ),
)
BY_FORMAT = {download.fmt: download for download in DOWNLOADS}


def formats(*, clinician: bool) -> list[str]:
    """The formats a patient's own summary, or a clinician's view of one, offers."""
    return [d.fmt for d in DOWNLOADS if clinician or not d.clinicians_only]
