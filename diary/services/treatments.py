"""Treatments: the only place that writes them, and their verdicts for a patient.

A patient adds, changes and removes any of their treatments; a linked clinician adds them too,
and changes or removes only their own (anyone else's is a 404, like every other diary row
that is not theirs). Every write takes the diary lock and counts as a change to the diary: a
new version (charts and reports drawn afresh) and the prompts brought up to date, since the
quinine review reads treatments.
"""

from collections import defaultdict
from datetime import date
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from diary.domain import verdicts
from diary.domain.checks import treatment_problems
from diary.domain.records import NightRecord, TreatmentRecord
from diary.domain.vocabulary import MAX_TREATMENTS
from diary.models import Night, Treatment, night_records, treatment_records
from diary.services.prompts import diary_changed, diary_lock


class TreatmentGone(Exception):
    """The treatment being changed was removed meanwhile (another tab, another person)."""


def treatments_of(patient) -> list[Treatment]:
    return list(Treatment.objects.filter(patient=patient).select_related("added_by"))


def verdict_nights(patient, treatments: list[TreatmentRecord], last_night: date):
    """The logged nights the treatments' verdicts read: the eight weeks after each start and the
    four before (two queries, whatever the diary's length; none without treatments)."""
    if not treatments:
        return []
    windows = [verdicts.nights_read(t, last_night) for t in treatments]
    rows = Night.objects.filter(patient=patient).filter(
        reduce(or_, (Q(date__range=window) for window in windows))
    )
    return [record for _patient, record in night_records(rows)]


def treatment_results(
    patient, last_night: date, treatments: list[TreatmentRecord] | None = None
) -> list[verdicts.TreatmentResult]:
    """Every treatment's verdicts as of `last_night` (three queries; two given `treatments`)."""
    if treatments is None:
        treatments = treatment_records(patient)
    nights: list[NightRecord] = verdict_nights(patient, treatments, last_night)
    return verdicts.treatment_results(treatments, nights, last_night)


def editable(treatment: Treatment, user) -> bool:
    """Whether `user` may change or remove it: its patient, or the clinician who added it."""
    return user.pk == treatment.patient_id or (
        treatment.added_by_id is not None and user.pk == treatment.added_by_id
    )


def treatment_get(*, patient, treatment_id: int, user) -> Treatment:
    """The patient's treatment if `user` may change it, else 404."""
    row = Treatment.objects.filter(patient=patient, pk=treatment_id).first()
    if row is None or not editable(row, user):
        raise Http404
    return row


@transaction.atomic
def treatment_save(
    *, patient, record: TreatmentRecord, today: date, by=None, treatment: Treatment | None = None
) -> Treatment:
    """Adds a treatment (or replaces `treatment`'s answers) after checking it; `by` is the
    clinician adding it, None for the patient. Raises ValidationError naming the fields, and
    TreatmentGone when `treatment` was removed before the lock was ours."""
    diary_lock(patient)
    if treatment is not None and not Treatment.objects.filter(pk=treatment.pk).exists():
        raise TreatmentGone
    others = [
        row.to_record()
        for row in Treatment.objects.filter(patient=patient)
        if treatment is None or row.pk != treatment.pk
    ]
    if treatment is None and len(others) >= MAX_TREATMENTS:
        message = _("A diary holds at most %(n)d treatments: remove one you no longer need.")
        raise ValidationError({"name": [message % {"n": MAX_TREATMENTS}]})
    problems = treatment_problems(record, today=today, others=others)
    if problems:
        by_field = defaultdict(list)
        for problem in problems:
            by_field[problem.field].append(problem.message)
        raise ValidationError(dict(by_field))
    values = Treatment.fields_from_record(record)
    if treatment is None:
        treatment = Treatment.objects.create(patient=patient, added_by=by, **values)
    else:
        Treatment.objects.filter(pk=treatment.pk).update(**values)
        treatment.refresh_from_db()
    diary_changed(patient=patient)
    return treatment


@transaction.atomic
def treatment_delete(*, patient, treatment: Treatment) -> None:
    diary_lock(patient)
    Treatment.objects.filter(pk=treatment.pk, patient=patient).delete()
    diary_changed(patient=patient)
