"""Treatments: the patient's own page (/treatments/) and a linked clinician's
(/clinic/patients/<public id>/treatments/), each listing the treatments with their verdicts,
with a form to add one and pages to change or remove them (diary.services.treatments says who
may)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import linked_patient, patient_required
from diary.services.dates import patient_today
from diary.services.treatment_rows import takes_quinine, treatment_record, treatment_rows
from diary.services.treatments import (
    TreatmentGone,
    treatment_delete,
    treatment_get,
    treatment_save,
)
from diary.web.forms import TreatmentForm


def _page(request, patient, *, link=None, form=None, status=200):
    rows = treatment_rows(patient, viewer=request.user)
    context = {
        "patient": patient,
        "link": link,
        "treatments": rows,
        "quinine": takes_quinine(rows),
        "form": form or TreatmentForm(initial={"start": patient_today(patient)}),
    }
    return render(request, "diary/treatments.html", context, status=status)


def _saved(request, form, patient, *, by=None, treatment=None) -> bool:
    """Saves the form's treatment, or puts the checks' messages beside its fields."""
    if not form.is_valid():
        return False
    try:
        treatment_save(
            patient=patient,
            record=form.to_record(),
            today=patient_today(patient),
            by=by,
            treatment=treatment,
        )
    except ValidationError as refused:
        for field, errors in refused.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return False
    return True


def _edit_page(request, patient, treatment, *, link=None, by=None, back: str):
    """The change page, or where to go once it is saved: (response, whether it saved)."""
    form = TreatmentForm.for_record(treatment_record(treatment))
    if request.method == "POST":
        form = TreatmentForm(request.POST)
        try:
            saved = _saved(request, form, patient, by=by, treatment=treatment)
        except TreatmentGone:
            messages.info(request, _("This treatment was removed meanwhile: nothing was changed."))
            return redirect(back), False
        if saved:
            messages.success(request, _("Treatment saved."))
            return redirect(back), True
    status = 400 if form.is_bound else 200
    context = {"form": form, "treatment": treatment, "link": link, "patient": patient}
    return render(request, "diary/treatment_edit.html", context, status=status), False


# The patient's own


@patient_required
def treatments(request):
    if request.method != "POST":
        return _page(request, request.user)
    form = TreatmentForm(request.POST)
    if not _saved(request, form, request.user):
        return _page(request, request.user, form=form, status=400)
    messages.success(request, _("Treatment added."))
    return redirect("treatments")


@patient_required
def treatment_edit(request, treatment_id: int):
    treatment = treatment_get(patient=request.user, treatment_id=treatment_id, user=request.user)
    return _edit_page(request, request.user, treatment, back="treatments")[0]


def _remove_page(request, patient, treatment, *, back: str):
    """Asks first (GET); removes on POST."""
    if request.method != "POST":
        context = {"treatment": treatment, "back": back}
        return render(request, "diary/treatment_remove.html", context)
    treatment_delete(patient=patient, treatment=treatment)
    messages.success(request, _("Treatment removed."))
    return redirect(back)


@patient_required
def treatment_remove(request, treatment_id: int):
    treatment = treatment_get(patient=request.user, treatment_id=treatment_id, user=request.user)
    return _remove_page(request, request.user, treatment, back=reverse("treatments"))


# A linked clinician's: they add treatments, and change or remove their own


@linked_patient("treatments")
def patient_treatments(request, visit):
    if request.method != "POST":
        return _page(request, visit.patient, link=visit.link)
    form = TreatmentForm(request.POST)
    if not _saved(request, form, visit.patient, by=request.user):
        visit.what = None  # the refused form, shown again: as before, not recorded
        return _page(request, visit.patient, link=visit.link, form=form, status=400)
    visit.what = "treatment added"
    messages.success(request, _("Treatment added."))
    return redirect("patient_treatments", public_id=visit.patient.public_id)


def _clinicians_treatment(request, visit, treatment_id: int):
    """The treatment and the page to go back to."""
    treatment = treatment_get(patient=visit.patient, treatment_id=treatment_id, user=request.user)
    return treatment, reverse("patient_treatments", kwargs={"public_id": visit.patient.public_id})


@linked_patient("treatments")
def patient_treatment_edit(request, visit, treatment_id: int):
    treatment, back = _clinicians_treatment(request, visit, treatment_id)
    response, saved = _edit_page(
        request, visit.patient, treatment, link=visit.link, by=request.user, back=back
    )
    if saved:
        visit.what = "treatment changed"
    return response


@linked_patient("treatments")
def patient_treatment_remove(request, visit, treatment_id: int):
    treatment, back = _clinicians_treatment(request, visit, treatment_id)
    if request.method == "POST":
        visit.what = "treatment removed"
    return _remove_page(request, visit.patient, treatment, back=back)
