"""The pre-visit summary: the patient's own (/summary/) and a linked clinician's view of it
(/clinic/patients/<public id>/), with its downloads (diary.services.downloads.DOWNLOADS): CSV
and JSON streamed; the PDF and the clinician's FHIR R4 export (docs/fhir.md) prepared by the
task worker (diary.services.prepared), which the page waits for at /files/<id>/."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import linked_patient, patient_required
from accounts.forms import CareLinkForm, ClinicianNoteForm
from accounts.sharing import access_record, link_reviewed, note_add, notes_of
from diary.domain import fhir
from diary.services.downloads import BY_FORMAT, formats
from diary.services.prepared import (
    PENDING_MOST,
    PREPARED_FILE_HOURS,
    TooManyWaiting,
    prepared_file_expires,
    prepared_file_for,
    prepared_file_state,
)
from diary.services.prompts import prompt_assess, prompts_mark_all_seen
from diary.services.reports import PageCharts
from diary.services.summaries import SummaryRange, summary_contents
from diary.tasks import prepared_file_queue
from diary.web.ranges import summary_range


def _summary(request, patient, link=None) -> dict:
    form, nights = summary_range(request, patient, link)
    context = summary_contents(patient=patient, link=link, nights=nights)
    context.update(
        form=form,
        charts=PageCharts(context["report"]),  # read (and drawn) only where the page shows them
        query=request.GET.urlencode(),
        downloads=[BY_FORMAT[fmt] for fmt in formats(clinician=link is not None)],
    )
    return context


def _download(request, patient, link, fmt: str):
    """The summary in `fmt`: streamed now, or asked of the task worker (the asker is sent to
    the page that waits for it)."""
    download = BY_FORMAT[fmt]
    _form, nights = summary_range(request, patient, link)
    if download.prepare is None:
        response = StreamingHttpResponse(
            download.stream(patient, nights), content_type=download.content_type
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{download.filename(patient, nights)}"'
        )
        return response
    try:
        file = prepared_file_queue(
            requested_by=request.user,
            patient=patient,
            kind=fmt,
            params={**nights.to_params(), "base": _fhir_base(request)},
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
    if fmt not in formats(clinician=False):
        raise Http404
    return _download(request, request.user, None, fmt)


# Files the task worker prepares, for the person who asked


def _back(file) -> str:
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
    context = {
        "file": file,
        "nights": SummaryRange.from_params(file.params),
        **prepared_file_state(file),
        "expires": prepared_file_expires(file),
        "hours": PREPARED_FILE_HOURS,
        "back_url": _back(file),
    }
    return render(request, "diary/prepared_file.html", context)


@login_required
def prepared_file_download(request, file_id):
    """The file itself; a clinician's download is recorded in the patient's access record."""
    file = prepared_file_for(user=request.user, file_id=file_id, with_content=True)
    if not prepared_file_state(file)["ready"]:
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
        notes=notes_of(link),
        note_form=note_form or ClinicianNoteForm(),
        link_form=link_form or CareLinkForm(instance=link),
        reviewed_before=link.last_reviewed_at,
        assess_allowed=True,
        # Said at the top of the page, linked to the fields: the forms sit below the summary.
        refused_forms=[form for form in (note_form, link_form) if form is not None],
    )
    return render(request, "diary/summary.html", context, status=status)


@linked_patient("summary")
def patient_summary(request, visit):
    response = _clinician_page(request, visit.link)
    link_reviewed(visit.link)
    return response


@linked_patient(None)
def patient_download(request, visit, fmt: str):
    """A prepared file is recorded when it is downloaded; a streamed one now."""
    if BY_FORMAT[fmt].prepare is None:
        visit.what = fmt
    return _download(request, visit.patient, visit.link, fmt)


def _fhir_base(request) -> str:
    """Where the canonical FHIR URLs start (diary/web/urls.py serves the Questionnaire under it):
    https://<host>/fhir, the same whichever scheme a request came by."""
    return f"https://{request.get_host()}/fhir"


def fhir_questionnaire(request):
    """The Questionnaire the exported nights answer: public, it holds no health data."""
    return JsonResponse(
        fhir.questionnaire(_fhir_base(request)),
        content_type="application/fhir+json",
        json_dumps_params={"indent": 1},
    )


@linked_patient(None)
@require_POST
def patient_note(request, visit):
    """A private note: the patient never sees it."""
    form = ClinicianNoteForm(request.POST)
    if not form.is_valid():
        return _clinician_page(request, visit.link, note_form=form, status=400)
    note_add(link=visit.link, text=form.cleaned_data["text"])
    messages.success(request, _("Note saved."))  # the note itself heads the first screen
    return redirect("patient_summary", public_id=visit.patient.public_id)


@linked_patient(None)
@require_POST
def patient_link(request, visit):
    """The clinician's own details on the link: record number and appointment dates."""
    # Validation writes the values sent onto the form's instance: a copy, so that a refused
    # form leaves the page's link as it is stored.
    form = CareLinkForm(request.POST, instance=copy(visit.link))
    if not form.is_valid():
        return _clinician_page(request, visit.link, link_form=form, status=400)
    form.save()
    messages.success(request, _("Record number and appointments saved."))
    return redirect("patient_summary", public_id=visit.patient.public_id)


@linked_patient("marked all seen")
@require_POST
def prompts_mark_all_seen_view(request, visit):
    """The clinician has seen every current prompt and warning sign: one access-record entry."""
    prompts_mark_all_seen(clinician=request.user, patient=visit.patient)
    return redirect("patient_summary", public_id=visit.patient.public_id)


@linked_patient("assessed prompt")
@require_POST
def prompt_assess_view(request, visit, run_id: int):
    """The clinician has seen a current run: the patient sees a calm line from now on."""
    prompt_assess(clinician=request.user, patient=visit.patient, run_id=run_id)
    return redirect("patient_summary", public_id=visit.patient.public_id)
