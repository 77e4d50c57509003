"""Saving and deleting nights: the only place that writes them.

Every write replaces a night and its cramps in one transaction, so a night is never half saved,
and saving the same night twice updates it instead of duplicating it.
"""

import uuid
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from diary.domain.advice import heat_caution, numbness_window, used_heat
from diary.domain.exchange import PROFILE_FLAGS, Diary, ExchangeError, diary_to_dict, night_to_dict
from diary.domain.records import SLEEP_FIELDS, NightRecord, ProfileRecord
from diary.domain.vocabulary import MAX_TREATMENTS
from diary.models import (
    MEDICATION_FIELDS,
    Cramp,
    HealthProfile,
    Night,
    SaveKey,
    Treatment,
    UndoRecord,
    night_records,
    treatment_records,
)
from diary.services.prompts import diary_changed, diary_lock


def night_get(*, patient, night: date) -> Night | None:
    return Night.objects.filter(patient=patient, date=night).prefetch_related("cramps").first()


def night_record(*, patient, night: date) -> NightRecord | None:
    row = night_get(patient=patient, night=night)
    return row.to_record() if row else None


def night_with_record(*, patient, night: date) -> tuple[Night | None, NightRecord | None]:
    """The logged night as its row (for the log page's template) and as a record."""
    row = night_get(patient=patient, night=night)
    return row, (row.to_record() if row else None)


def cramp_night_before(*, patient, before: date) -> bool:
    """Whether any night before `before` has cramps: "same as last time" has something to copy."""
    return Night.objects.filter(patient=patient, date__lt=before, cramps__isnull=False).exists()


def last_cramp_night(*, patient, before: date) -> NightRecord | None:
    """The latest night before `before` with cramps: the one "same as last time" copies."""
    row = (
        Night.objects.filter(patient=patient, date__lt=before, cramps__isnull=False)
        .prefetch_related("cramps")
        .order_by("-date")
        .first()
    )
    return row.to_record() if row else None


def sleep_details_lately(*, patient, before: date) -> bool:
    """Whether the latest night logged before `before` has sleep details (one query)."""
    rows = Night.objects.filter(patient=patient, date__lt=before).order_by("-date")
    previous = rows.values_list(*SLEEP_FIELDS).first()
    return previous is not None and any(value is not None for value in previous)


def first_logged_night(patient) -> date | None:
    return Night.objects.filter(patient=patient).aggregate(first=Min("date"))["first"]


def diary_start(patient) -> date:
    """The earliest night a range of the patient's diary shows: the first logged night, or
    while nothing is logged, the night before the account was made."""
    first = first_logged_night(patient)
    if first is not None:
        return first
    return timezone.localtime(patient.date_joined, patient.zone).date() - timedelta(days=1)


def nights_between(*, patient, first: date, last: date) -> dict[date, NightRecord]:
    """The logged nights from first to last inclusive, by date (two queries)."""
    rows = Night.objects.filter(patient=patient, date__range=(first, last))
    return {record.night: record for _patient, record in night_records(rows)}


def days_between(first: date, last: date) -> list[date]:
    """Every calendar night from last back to first: newest first, as diaries are read."""
    return [last - timedelta(days=offset) for offset in range((last - first).days + 1)]


@transaction.atomic
def night_save(*, patient, record: NightRecord) -> Night:
    """Creates or replaces the patient's night with exactly the given record and its cramps."""
    diary_lock(patient)
    row, created = Night.objects.update_or_create(
        patient=patient, date=record.night, defaults=Night.fields_from_record(record)
    )
    if not created:
        row.cramps.all().delete()
    Cramp.objects.bulk_create(
        Cramp(night=row, position=position, **Cramp.fields_from_record(cramp))
        for position, cramp in enumerate(record.cramps)
    )
    diary_changed(patient=patient)
    return row


def night_saved_with(*, patient, key: uuid.UUID) -> date | None:
    """The night an earlier save with this idempotency key was for, or None if it is new."""
    return SaveKey.objects.filter(patient=patient, key=key).values_list("night", flat=True).first()


@transaction.atomic
def night_save_once(*, patient, record: NightRecord, key: uuid.UUID | None) -> tuple[date, bool]:
    """night_save, once per idempotency key: returns (night, saved).

    The key is checked and stored in the save's own transaction, under the diary lock, so that
    two deliveries of one save at once (a page sending its kept nights while the first request
    is still on its way) write once. A repeat saves nothing and gives the night of the first
    save, for the same answer. Without a key (an old page), it is a plain save.
    """
    diary_lock(patient)
    if key is not None:
        earlier = night_saved_with(patient=patient, key=key)
        if earlier is not None:
            return earlier, False
        SaveKey.objects.create(patient=patient, key=key, night=record.night)
    night_save(patient=patient, record=record)
    return record.night, True


@transaction.atomic
def night_delete(*, patient, night: date) -> bool:
    diary_lock(patient)
    deleted, _by_model = Night.objects.filter(patient=patient, date=night).delete()
    if deleted:
        diary_changed(patient=patient)
    return bool(deleted)


@transaction.atomic
def night_restore(*, patient, night: date, record: NightRecord | None, if_still: dict) -> bool:
    """Puts a night back as it was (the given record, or not logged at all when None), only if
    it still holds what the save being undone wrote (`if_still`, in the exchange format).
    Returns whether it did."""
    diary_lock(patient)
    current = night_record(patient=patient, night=night)
    if current is None or night_to_dict(current) != if_still:
        return False
    if record is None:
        night_delete(patient=patient, night=night)
    else:
        night_save(patient=patient, record=record)
    return True


# Undo: what a save from the log page replaced, kept in the database for the patient (the
# session that saved keeps only the record's id), for UNDO_KEPT at most.
UNDO_KEPT = timedelta(hours=24)


def undo_remember(
    *, patient, night: date, previous: NightRecord | None, saved: NightRecord, replacing
) -> int:
    """Keeps what the night was before a save and what the save wrote (so that an undo never
    overwrites a later change); returns the record's id. Deletes the record this one replaces
    (`replacing`: the id the session held) and every record older than UNDO_KEPT."""
    UndoRecord.objects.filter(created__lt=timezone.now() - UNDO_KEPT).delete()
    if isinstance(replacing, int):
        UndoRecord.objects.filter(pk=replacing, patient=patient).delete()
    return UndoRecord.objects.create(
        patient=patient,
        night=night,
        previous=night_to_dict(previous) if previous else None,
        saved=night_to_dict(saved),
    ).pk


def undo_get(*, patient, undo_id, night: date) -> UndoRecord | None:
    """The patient's own undo record of that night, if `undo_id` (from the session) names one
    that has not expired."""
    if not isinstance(undo_id, int):
        return None
    return UndoRecord.objects.filter(
        pk=undo_id, patient=patient, night=night, created__gte=timezone.now() - UNDO_KEPT
    ).first()


def undo_forget(*, patient, undo_id) -> None:
    if isinstance(undo_id, int):
        UndoRecord.objects.filter(pk=undo_id, patient=patient).delete()


def health_profile_record(*, patient) -> ProfileRecord | None:
    """The patient's health profile as plain facts, or None when none was given."""
    health = HealthProfile.objects.filter(patient=patient).first()
    return health.to_record() if health else None


def heat_caution_after(*, patient, record: NightRecord) -> bool:
    """Whether the night's confirmation warns against heat on numb legs (one query at most: the
    queryset is read only when the night itself records no numbness)."""
    if not used_heat(record):
        return False
    first, last = numbness_window(record.night)
    numb = Night.objects.filter(
        patient=patient, date__range=(first, last), symptom_numbness_tingling=True
    ).values_list("date", flat=True)
    return heat_caution(record, numb)


def diary_profile(*, patient) -> dict:
    """The profile part of the patient's diary in the exchange format (its PROFILE_KEYS)."""
    health = HealthProfile.objects.filter(patient=patient).first() or HealthProfile()
    profile = {key: getattr(health, key) for key in PROFILE_FLAGS}
    profile.update(
        time_zone=patient.time_zone,
        date_of_birth=health.date_of_birth,
        pregnancy_date=health.pregnancy_date,
        medications=health.medications,
    )
    return profile


def diary_export(*, patient) -> dict:
    """The patient's whole diary in the exchange format (diary.services.downloads streams it)."""
    rows = Night.objects.filter(patient=patient)
    nights = (record for _patient, record in night_records(rows))
    return diary_to_dict(diary_profile(patient=patient), nights, treatment_records(patient))


def _replaced_treatments(patient, diary: Diary):
    """The patient's treatments the file's replace: the same name and first night."""
    identities = {t.identity for t in diary.treatments}
    starts = {t.start for t in diary.treatments}
    return [
        row.pk
        for row in Treatment.objects.filter(patient=patient, start__in=starts)
        if row.to_record().identity in identities
    ]


def import_counts(*, patient, diary: Diary) -> tuple[int, int]:
    """How many of the file's nights are new to the diary, and how many replace a night.
    Raises ExchangeError when the file's treatments would make too many."""
    if diary.treatments:
        kept = Treatment.objects.filter(patient=patient).count()
        kept -= len(_replaced_treatments(patient, diary))
        if kept + len(diary.treatments) > MAX_TREATMENTS:
            raise ExchangeError(
                f"with the file's treatments the diary would hold more than {MAX_TREATMENTS}"
            )
    dates = [night.night for night in diary.nights]
    replaced = Night.objects.filter(patient=patient, date__in=dates).count()
    return len(dates) - replaced, replaced


_DATES_AND_TIMES = ("DateField", "TimeField", "DateTimeField")


def _insert(model, rows: list[dict]) -> None:
    """Inserts rows (values by field name, the same names in the same order in every row) with
    one executemany: a 10,000-night import in a second or two, where bulk_create spent some
    9 s building each object's SQL (docs/performance.md). One statement of many rows would be
    slower still on PostgreSQL, whose driver parses its thousands of placeholders."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in rows[0]]
    adapt = [field.get_internal_type() in _DATES_AND_TIMES for field in fields]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    values = [
        tuple(
            field.get_db_prep_save(value, connection) if adapted else value
            for field, adapted, value in zip(fields, adapt, row.values(), strict=True)
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


@transaction.atomic
def diary_import(*, patient, diary: Diary) -> tuple[int, int]:
    """Writes a validated diary: each of its nights replaces that night, nights not in the file
    stay as they are, and the profile keys it gives overwrite the profile. All or nothing."""
    diary_lock(patient)
    new, replaced = import_counts(patient=patient, diary=diary)
    replacing = Night.objects.filter(patient=patient, date__in=[n.night for n in diary.nights])
    # Two statements, where delete() would load every night replaced to find its cramps.
    Cramp.objects.filter(night__in=replacing.values("pk"))._raw_delete(Cramp.objects.db)
    replacing._raw_delete(Night.objects.db)
    now = timezone.now()
    _insert(
        Night,
        [
            {
                "patient": patient.pk,
                "date": record.night,
                **Night.fields_from_record(record),
                "logged_at": now,
                "updated_at": now,
            }
            for record in diary.nights
        ],
    )
    night_ids = dict(Night.objects.filter(patient=patient).values_list("date", "pk"))
    _insert(
        Cramp,
        [
            {"night": night_ids[record.night], "position": position}
            | Cramp.fields_from_record(cramp)
            for record in diary.nights
            for position, cramp in enumerate(record.cramps)
        ],
    )
    profile = dict(diary.profile)
    if "time_zone" in profile:
        patient.time_zone = profile.pop("time_zone")
        patient.save(update_fields=["time_zone"])
    if profile.get("pregnant") is False:  # the due or birth date goes with the answer
        profile["pregnancy_date"] = None
    if "medications" in profile:
        chosen = profile.pop("medications")
        profile.update({name: value in chosen for value, name in MEDICATION_FIELDS.items()})
    if profile:
        HealthProfile.objects.update_or_create(patient=patient, defaults=profile)
    # A treatment with the same name and first night is replaced; the others stay.
    Treatment.objects.filter(pk__in=_replaced_treatments(patient, diary)).delete()
    Treatment.objects.bulk_create(
        Treatment(patient=patient, **Treatment.fields_from_record(t)) for t in diary.treatments
    )
    diary_changed(patient=patient)
    return new, replaced
