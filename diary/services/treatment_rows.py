"""What the treatments pages list: each treatment with its verdict as at last night, and
whether the viewer may change it (the verdicts and the rules for changes:
diary.services.treatments)."""

from dataclasses import dataclass

from diary.domain.records import TreatmentRecord
from diary.domain.verdicts import TreatmentResult
from diary.domain.vocabulary import TreatmentKind
from diary.models import Treatment
from diary.services.dates import last_night, patient_today
from diary.services.treatments import editable, treatment_results, treatments_of


@dataclass(frozen=True)
class TreatmentRow:
    row: Treatment
    result: TreatmentResult
    editable: bool


def treatment_rows(patient, *, viewer) -> list[TreatmentRow]:
    rows = treatments_of(patient)
    latest = last_night(patient_today(patient))
    results = treatment_results(patient, latest, [row.to_record() for row in rows])
    return [
        TreatmentRow(row=row, result=result, editable=editable(row, viewer))
        for row, result in zip(rows, results, strict=True)
    ]


def takes_quinine(rows: list[TreatmentRow]) -> bool:
    """Whether quinine is listed: the page then says what is known of its risks."""
    return any(item.row.kind == TreatmentKind.QUININE for item in rows)


def treatment_record(treatment: Treatment) -> TreatmentRecord:
    """The treatment as the change form shows it."""
    return treatment.to_record()
