"""The pre-visit summary: the patient's own (/summary/) and a linked clinician's view of it
(/clinic/patients/<public id>/), with its downloads: CSV and JSON streamed; the PDF and the
clinician's FHIR R4 export (docs/fhir.md) prepared by the task worker (diary.services.prepared),
which the page waits for at /files/<id>/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import clinician_required, patient_required
from accounts.forms import CareLinkForm, ClinicianNoteForm
from accounts.models import ClinicianNote
from accounts.sharing import access_record, active_link
from diary.domain import fhir
from diary.models import PreparedFile
from diary.services.downloads import diary_json, summary_csv
from diary.services.prepared import (
    PENDING_MOST,
    PREPARED_FILE_HOURS,
    TooManyWaiting,
    prepared_file_expires,
    prepared_file_for,
)
from diary.services.prompts import prompt_assess, prompts_mark_all_seen
from diary.services.reports import PageCharts
from diary.services.summaries import SummaryRange, summary_contents
from diary.tasks import prepared_file_queue
from diary.web.views.trends import range_form

SUMMARY_DAYS = 90


def _summary_nights(request, patient, link=None):
    """The summary's range chooser and the nights it covers: from the clinician's last
    appointment by default on the clinician's page when there is one."""
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


def _summary(request, patient, link=None) -> dict:
    form, nights = _summary_nights(request, patient, link)
    context = summary_contents(patient=patient, link=link, nights=nights)
    context.update(
        form=form,
        charts=PageCharts(context["report"]),  # read (and drawn) only where the page shows them
        query=request.GET.urlencode(),
    )
    return context


def _csv(request, patient, link=None) -> StreamingHttpResponse:
    _form, nights = _summary_nights(request, patient, link)
    response = StreamingHttpResponse(
        summary_csv(patient=patient, first=nights.first, last=nights.last),
        content_type="text/csv; charset=utf-8",
    )
    name = f"cramp-summary-{patient.public_id}-{nights.first}-{nights.last}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _json(patient) -> StreamingHttpResponse:
    """The whole diary in the exchange format, streamed (diary.services.downloads.diary_json)."""
    response = StreamingHttpResponse(diary_json(patient=patient), content_type="application/json")
    name = f"night-cramp-diary-{patient.public_id}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _prepare(request, *, patient, link, kind: str, **params):
    """Asks the task worker for the file and sends the asker to the page that waits for it."""
    _form, nights = _summary_nights(request, patient, link)
    try:
        file = prepared_file_queue(
            requested_by=request.user,
            patient=patient,
            kind=kind,
            params={**nights.to_params(), **params},
        )
    except TooManyWaiting:
        back = reverse("summary") if link is None else _clinician_summary(patient)
        context = {"too_many": PENDING_MOST, "back_url": back}
        return render(request, "diary/prepared_file.html", context, status=429)
    return redirect("prepared_file", file_id=file.pk)


# The patient's own summary


@patient_required
def own_summary(request):
    return render(request, "diary/summary.html", _summary(request, request.user))


@patient_required
def own_summary_download(request, fmt: str):
    if fmt == "json":
        return _json(request.user)
    if fmt == "csv":
        return _csv(request, request.user)
    return _prepare(request, patient=request.user, link=None, kind="pdf")


# Files the task worker prepares, for the person who asked


def _back(file: PreparedFile) -> str:
    """The summary the file was asked from."""
    if file.requested_by_id == file.patient_id:
        return reverse("summary")
    return _clinician_summary(file.patient)


def _clinician_summary(patient) -> str:
    return reverse("patient_summary", kwargs={"public_id": patient.public_id})


@login_required
def prepared_file(request, file_id):
    """Says "Preparing your file…" while the worker builds it (the page reloads itself), then
    offers the file."""
    file = prepared_file_for(user=request.user, file_id=file_id)
    return render(
        request,
        "diary/prepared_file.html",
        {
            "file": file,
            "nights": SummaryRange.from_params(file.params),
            "ready": file.status == PreparedFile.Status.READY,
            "failed": file.status == PreparedFile.Status.FAILED,
            "expires": prepared_file_expires(file),
            "hours": PREPARED_FILE_HOURS,
            "back_url": _back(file),
        },
    )


@login_required
def prepared_file_download(request, file_id):
    """The file itself; a clinician's download is recorded in the patient's access record."""
    file = prepared_file_for(user=request.user, file_id=file_id, with_content=True)
    if file.status != PreparedFile.Status.READY:
        return redirect("prepared_file", file_id=file.pk)
    if file.requested_by_id != file.patient_id:
        access_record(clinician=request.user, patient=file.patient, what=file.kind)
    response = HttpResponse(bytes(file.content), content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


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
    if fmt == "pdf":  # recorded when the file is downloaded
        return _prepare(request, patient=link.patient, link=link, kind="pdf")
    access_record(clinician=request.user, patient=link.patient, what=fmt)
    return _json(link.patient) if fmt == "json" else _csv(request, link.patient, link)


def _fhir_base(request) -> str:
    """Where the canonical FHIR URLs start (diary/web/urls.py serves the Questionnaire under it):
    https://<host>/fhir, the same whichever scheme a request came by."""
    return f"https://{request.get_host()}/fhir"


@clinician_required
def patient_fhir(request, public_id: str):
    """The summary's range as a FHIR R4 Bundle for the clinic's record system, prepared by
    the worker (diary.services.prepared); recorded when the file is downloaded."""
    link = active_link(clinician=request.user, public_id=public_id)
    return _prepare(request, patient=link.patient, link=link, kind="fhir", base=_fhir_base(request))


def fhir_questionnaire(request):
    """The Questionnaire the exported nights answer: public, it holds no health data."""
    return JsonResponse(
        fhir.questionnaire(_fhir_base(request)),
        content_type="application/fhir+json",
        json_dumps_params={"indent": 1},
    )


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
def prompts_mark_all_seen_view(request, public_id: str):
    """The clinician has seen every current prompt and warning sign: one access-record entry."""
    link = active_link(clinician=request.user, public_id=public_id)
    prompts_mark_all_seen(clinician=request.user, patient=link.patient)
    access_record(clinician=request.user, patient=link.patient, what="marked all seen")
    return redirect("patient_summary", public_id=public_id)


@clinician_required
@require_POST
def prompt_assess_view(request, public_id: str, run_id: int):
    """The clinician has seen a current run: the patient sees a calm line from now on."""
    link = active_link(clinician=request.user, public_id=public_id)
    prompt_assess(clinician=request.user, patient=link.patient, run_id=run_id)
    access_record(clinician=request.user, patient=link.patient, what="assessed prompt")
    return redirect("patient_summary", public_id=public_id)
