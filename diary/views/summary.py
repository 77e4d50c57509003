"""The pre-visit summary: the patient's own (/summary/) and a linked clinician's view of it
(/clinic/patients/<public id>/), each with PDF, CSV and JSON downloads; the clinician's also as
FHIR R4 (docs/fhir.md)."""

import base64
from datetime import date

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import clinician_required, patient_required
from accounts.forms import CareLinkForm, ClinicianNoteForm
from accounts.models import ClinicianNote
from accounts.sharing import access_record, active_link
from diary import fhir
from diary.exports import nights_csv, pdf_from_html
from diary.models import Prompt
from diary.nights import diary_export, nights_between
from diary.prompts import current_prompts, pressing_order, prompt_assess
from diary.reports import CHART_NAMES, PageCharts, chart, report_for
from diary.stats import night_rows
from diary.views.trends import range_form

SUMMARY_DAYS = 90
NIGHT_TABLE_UP_TO = 92  # nights drawn; longer ranges list the chart's weeks or months instead


def _age(born: date | None, on: date) -> int | None:
    """Whole years from a date of birth to a day (the summary's last night)."""
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _summary_nights(request, patient, link=None):
    """The summary's range chooser, its first and last night, and whether the range starts at
    the clinician's last appointment (the default on the clinician's page when there is one)."""
    form = range_form(request, patient, default_days=SUMMARY_DAYS)
    first, last = form.nights()
    since_appointment = bool(
        not request.GET and link and link.last_appointment and link.last_appointment <= last
    )
    if since_appointment:
        first, last = form.nights(since=link.last_appointment)
    return form, first, last, since_appointment


def _summary(request, patient, link=None) -> dict:
    form, first, last, since_appointment = _summary_nights(request, patient, link)
    report = report_for(
        patient=patient,
        first=first,
        last=last,
        diary_starts=form.first_logged if form.moved_to_diary_start else None,
    )
    past = Prompt.objects.filter(patient=patient, ended__gte=first).order_by("-ended")
    if link is None:  # the patient's own page: brought up to date for their today
        current = current_prompts(patient)
    else:  # the clinician reads the stored runs (kept current by refresh_prompts)
        current = sorted(
            Prompt.objects.filter(patient=patient, ended__isnull=True), key=pressing_order
        )
    profile = getattr(patient, "health_profile", None)
    return {
        "patient": patient,
        "profile": profile,
        # As at the summary's last night, so that an old range reads as it was then.
        "age": _age(profile and profile.date_of_birth, report.last),
        "pregnancy_lapsed": bool(profile and profile.pregnancy_lapsed(report.last)),
        "link": link,
        "form": form,
        "since_appointment": since_appointment,
        "report": report,
        "charts": PageCharts(report),  # read (and drawn) only where the page shows them
        "current": current,
        "reader": "clinician" if link else "patient",
        "warning_signs": [night for night in report.nights if night.red_flags],
        "past": past,
        # Counted in nights from where the charts start (a range starting long before the diary
        # is drawn from its first night), never in periods: a year is 53 weeks.
        "night_table": night_rows(report.nights)
        if (report.last - report.drawn_first).days + 1 <= NIGHT_TABLE_UP_TO
        else None,
        "query": request.GET.urlencode(),
        "generated": timezone.now(),
    }


def _chart_image(svg: bytes) -> SafeString:
    """A chart as an image of itself for the PDF: the same vector drawing, but kept out of the
    page's HTML, so WeasyPrint neither parses nor styles its hundreds of elements (a third of
    a PDF's time when they were inline). The tables beside each chart carry its numbers."""
    data = base64.b64encode(svg).decode()
    return format_html('<img class="chart" alt="" src="data:image/svg+xml;base64,{}">', data)


def _pdf(request, context) -> HttpResponse:
    report = context["report"]
    images = {name: _chart_image(chart(report, name)) for name in CHART_NAMES}
    html = render_to_string("diary/summary_print.html", {**context, "charts": images}, request)
    response = HttpResponse(
        pdf_from_html(html, request.build_absolute_uri("/")), content_type="application/pdf"
    )
    response["Content-Disposition"] = _attachment(
        context["patient"], report.first, report.last, "pdf"
    )
    return response


def _csv(context) -> HttpResponse:
    report = context["report"]
    taken = [result.treatment for result in report.treatments]
    response = HttpResponse(
        nights_csv(report.nights, taken), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = _attachment(
        context["patient"], report.first, report.last, "csv"
    )
    return response


def _json(patient) -> JsonResponse:
    response = JsonResponse(diary_export(patient=patient), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = (
        f'attachment; filename="night-cramp-diary-{patient.public_id}.json"'
    )
    return response


def _attachment(patient, first: date, last: date, extension: str) -> str:
    name = f"cramp-summary-{patient.public_id}-{first}-{last}.{extension}"
    return f'attachment; filename="{name}"'


# The patient's own summary


@patient_required
def own_summary(request):
    return render(request, "diary/summary.html", _summary(request, request.user))


@patient_required
def own_summary_download(request, fmt: str):
    if fmt == "json":
        return _json(request.user)
    context = _summary(request, request.user)
    return _pdf(request, context) if fmt == "pdf" else _csv(context)


# A linked clinician's view


def _clinician_page(request, link, *, note_form=None, link_form=None, status=200):
    context = _summary(request, link.patient, link)
    context.update(
        notes=link.notes.all(),
        note_form=note_form or ClinicianNoteForm(),
        link_form=link_form or CareLinkForm(instance=link),
        reviewed_before=link.last_reviewed_at,
        assess_allowed=True,
        # Said at the top of the page, linked to the fields: the forms sit below the summary.
        refused_forms=[form for form in (note_form, link_form) if form is not None],
    )
    return render(request, "diary/summary.html", context, status=status)


@clinician_required
def patient_summary(request, public_id: str):
    link = active_link(clinician=request.user, public_id=public_id)
    access_record(clinician=request.user, patient=link.patient, what="summary")
    response = _clinician_page(request, link)
    link.last_reviewed_at = timezone.now()
    link.save(update_fields=["last_reviewed_at"])
    return response


@clinician_required
def patient_download(request, public_id: str, fmt: str):
    link = active_link(clinician=request.user, public_id=public_id)
    access_record(clinician=request.user, patient=link.patient, what=fmt)
    if fmt == "json":
        return _json(link.patient)
    context = _summary(request, link.patient, link)
    return _pdf(request, context) if fmt == "pdf" else _csv(context)


def _fhir_base(request) -> str:
    """Where the canonical FHIR URLs start (diary/urls.py serves the Questionnaire under it):
    https://<host>/fhir, the same whichever scheme a request came by."""
    return f"https://{request.get_host()}/fhir"


def _fhir_response(resource: dict) -> JsonResponse:
    return JsonResponse(
        resource, content_type="application/fhir+json", json_dumps_params={"indent": 1}
    )


@clinician_required
def patient_fhir(request, public_id: str):
    """The summary's range as a FHIR R4 Bundle for the clinic's record system."""
    link = active_link(clinician=request.user, public_id=public_id)
    access_record(clinician=request.user, patient=link.patient, what="fhir")
    patient = link.patient
    _form, first, last, _since = _summary_nights(request, patient, link)
    profile = getattr(patient, "health_profile", None)
    runs = sorted(Prompt.objects.filter(patient=patient, ended__isnull=True), key=pressing_order)
    bundle = fhir.diary_bundle(
        base=_fhir_base(request),
        patient=fhir.PatientRecord(
            public_id=patient.public_id,
            full_name=patient.full_name,
            birth_date=profile and profile.date_of_birth,
        ),
        nights=list(nights_between(patient=patient, first=first, last=last).values()),
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
    )
    response = _fhir_response(bundle)
    response["Content-Disposition"] = _attachment(patient, first, last, "fhir.json")
    return response


def fhir_questionnaire(request):
    """The Questionnaire the exported nights answer: public, it holds no health data."""
    return _fhir_response(fhir.questionnaire(_fhir_base(request)))


@clinician_required
@require_POST
def patient_note(request, public_id: str):
    """A private note: the patient never sees it."""
    link = active_link(clinician=request.user, public_id=public_id)
    form = ClinicianNoteForm(request.POST)
    if not form.is_valid():
        return _clinician_page(request, link, note_form=form, status=400)
    ClinicianNote.objects.create(link=link, text=form.cleaned_data["text"])
    messages.success(request, _("Note saved."))  # the note itself heads the first screen
    return redirect("patient_summary", public_id=public_id)


@clinician_required
@require_POST
def patient_link(request, public_id: str):
    """The clinician's own details on the link: record number and appointment dates."""
    link = active_link(clinician=request.user, public_id=public_id)
    form = CareLinkForm(request.POST, instance=link)
    if not form.is_valid():
        link.refresh_from_db()  # validation wrote the refused values onto it; the page shows none
        return _clinician_page(request, link, link_form=form, status=400)
    form.save()
    messages.success(request, _("Record number and appointments saved."))
    return redirect("patient_summary", public_id=public_id)


@clinician_required
@require_POST
def prompt_assess_view(request, public_id: str, run_id: int):
    """The clinician has seen a current run: the patient sees a calm line from now on."""
    link = active_link(clinician=request.user, public_id=public_id)
    prompt_assess(clinician=request.user, patient=link.patient, run_id=run_id)
    access_record(clinician=request.user, patient=link.patient, what="assessed prompt")
    return redirect("patient_summary", public_id=public_id)
