"""Nights and cramp episodes, and the patient's health profile.

Multiple-choice answers (prevention, symptoms, remedies) are one boolean column per choice, so
plain SQL counts them on SQLite and PostgreSQL alike. Column names follow the vocabulary:
``prevention_<value>``, ``symptom_<value>``, ``remedy_<value>``.
"""

import uuid
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from diary.domain import reasons, runs, triage
from diary.domain.records import (
    SLEEP_FIELDS,
    CrampRecord,
    NightRecord,
    ProfileRecord,
    TreatmentRecord,
)
from diary.domain.vocabulary import (
    AWAKENINGS_MAX,
    DURATION_MAX_MINUTES,
    NOTES_MAX_LENGTH,
    SEVERITY_MAX,
    SEVERITY_MIN,
    SLEEP_MINUTES_MAX,
    SUBSTANCE_MAX_LENGTH,
    TREATMENT_DOSE_MAX_LENGTH,
    TREATMENT_NAME_MAX_LENGTH,
    DaytimeImpairment,
    Medication,
    Muscle,
    Prevention,
    RedFlag,
    Relief,
    Remedy,
    Side,
    SleepQuality,
    Symptom,
    TreatmentKind,
)


def choice_flags(prefix, choices):
    """The boolean column of each choice: {"fluids": "prevention_fluids", …}."""
    return {choice.value: f"{prefix}_{choice.value}" for choice in choices}


PREVENTION_FIELDS = choice_flags("prevention", Prevention)
SYMPTOM_FIELDS = choice_flags("symptom", Symptom)
RED_FLAG_FIELDS = choice_flags("red_flag", RedFlag)
REMEDY_FIELDS = choice_flags("remedy", Remedy)
MEDICATION_FIELDS = {choice.value: f"medication_{choice.value}" for choice in Medication}


def _chosen(value_of, fields):
    return frozenset(value for value, name in fields.items() if value_of(name))


def _cramp_record(value_of) -> CrampRecord:
    """A cramp record from a row, read through value_of(column name)."""
    return CrampRecord(
        muscle=value_of("muscle"),
        side=value_of("side"),
        duration_minutes=value_of("duration_minutes"),
        severity=value_of("severity"),
        woke=value_of("woke"),
        remedies=_chosen(value_of, REMEDY_FIELDS),
        relief=value_of("relief"),
    )


def _night_record(value_of, cramps) -> NightRecord:
    """A night record from a row, read through value_of(column name), and its cramps."""
    return NightRecord(
        night=value_of("date"),
        sleep_quality=value_of("sleep_quality"),
        daytime_impairment=value_of("daytime_impairment"),
        prevention=_chosen(value_of, PREVENTION_FIELDS),
        symptoms=_chosen(value_of, SYMPTOM_FIELDS),
        red_flags=_chosen(value_of, RED_FLAG_FIELDS),
        toxin_exposure=value_of("toxin_exposure"),
        toxin_substance=value_of("toxin_substance"),
        notes=value_of("notes"),
        cramps=tuple(cramps),
        **{name: value_of(name) for name in SLEEP_FIELDS},
    )


def _flag_values(chosen, fields):
    return {name: value in chosen for value, name in fields.items()}


class Night(models.Model):
    """One calendar night of one patient, keyed by the evening's date."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nights"
    )
    date = models.DateField(_("night of"))
    sleep_quality = models.PositiveSmallIntegerField(
        _("sleep quality"), choices=SleepQuality.choices, null=True, blank=True
    )
    daytime_impairment = models.CharField(
        _("daytime impairment"), max_length=10, choices=DaytimeImpairment.choices, blank=True
    )
    prevention_fluids = models.BooleanField(default=False)
    prevention_stretching = models.BooleanField(default=False)
    prevention_stationary_bike = models.BooleanField(default=False)
    prevention_potassium_calcium_foods = models.BooleanField(default=False)
    symptom_muscle_weakness = models.BooleanField(default=False)
    symptom_muscle_atrophy = models.BooleanField(default=False)
    symptom_twitching = models.BooleanField(default=False)
    symptom_daytime_cramps = models.BooleanField(default=False)
    symptom_cramps_elsewhere = models.BooleanField(default=False)
    symptom_numbness_tingling = models.BooleanField(default=False)
    symptom_urge_to_move = models.BooleanField(default=False)
    symptom_pain_on_walking = models.BooleanField(default=False)
    red_flag_cramp_wont_stop = models.BooleanField(default=False)
    red_flag_leg_cold_pale = models.BooleanField(default=False)
    red_flag_leg_swollen = models.BooleanField(default=False)
    red_flag_dark_urine = models.BooleanField(default=False)
    toxin_exposure = models.BooleanField(_("exposed to a toxin"), default=False)
    toxin_substance = models.CharField(_("substance"), max_length=SUBSTANCE_MAX_LENGTH, blank=True)
    notes = models.TextField(_("notes"), max_length=NOTES_MAX_LENGTH, blank=True)
    # Sleep details (optional): local times of day, and minutes or a count (diary.domain.sleep).
    bed_time = models.TimeField(_("into bed"), null=True, blank=True)
    try_sleep_time = models.TimeField(_("tried to sleep"), null=True, blank=True)
    sleep_onset_minutes = models.PositiveSmallIntegerField(
        _("minutes to fall asleep"), null=True, blank=True
    )
    awakenings = models.PositiveSmallIntegerField(_("awakenings"), null=True, blank=True)
    awake_minutes = models.PositiveSmallIntegerField(
        _("minutes awake in the night"), null=True, blank=True
    )
    final_wake_time = models.TimeField(_("final waking"), null=True, blank=True)
    out_of_bed_time = models.TimeField(_("out of bed"), null=True, blank=True)
    logged_at = models.DateTimeField(_("first logged"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-date"]
        # The dashboard's "new since my last review" counts a patient's nights changed after a
        # time, reading at most 100 entries of this index (diary.services.clinic).
        indexes = [models.Index(fields=["patient", "updated_at"], name="night_patient_changed")]
        constraints = [
            models.UniqueConstraint(fields=["patient", "date"], name="one_night_per_patient_date"),
            models.CheckConstraint(
                condition=models.Q(sleep_quality__isnull=True)
                | models.Q(sleep_quality__gte=1, sleep_quality__lte=5),
                name="night_sleep_quality_1_to_5",
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__isnull": True})
                    | models.Q(**{f"{name}__gte": 0, f"{name}__lte": limit}),
                    name=f"night_{name}_0_to_{limit}",
                )
                for name, limit in (
                    ("sleep_onset_minutes", SLEEP_MINUTES_MAX),
                    ("awakenings", AWAKENINGS_MAX),
                    ("awake_minutes", SLEEP_MINUTES_MAX),
                )
            ),
        ]

    def __str__(self):
        return f"{self.patient} – night of {self.date:%Y-%m-%d}"

    def to_record(self) -> NightRecord:
        """The plain record; reads self.cramps (for many nights, use night_records)."""
        cramps = (cramp.to_record() for cramp in self.cramps.all())
        return _night_record(lambda name: getattr(self, name), cramps)

    @staticmethod
    def fields_from_record(record: NightRecord) -> dict:
        return {
            "sleep_quality": record.sleep_quality,
            "daytime_impairment": record.daytime_impairment,
            **_flag_values(record.prevention, PREVENTION_FIELDS),
            **_flag_values(record.symptoms, SYMPTOM_FIELDS),
            **_flag_values(record.red_flags, RED_FLAG_FIELDS),
            "toxin_exposure": record.toxin_exposure,
            "toxin_substance": record.toxin_substance,
            "notes": record.notes,
            **{name: getattr(record, name) for name in SLEEP_FIELDS},
        }


class Cramp(models.Model):
    """One cramp episode during a night."""

    night = models.ForeignKey(Night, on_delete=models.CASCADE, related_name="cramps")
    position = models.PositiveSmallIntegerField(default=0)
    muscle = models.CharField(_("muscle"), max_length=12, choices=Muscle.choices)
    side = models.CharField(_("side"), max_length=5, choices=Side.choices)
    duration_minutes = models.FloatField(
        _("duration (minutes)"),
        validators=[MinValueValidator(0.01), MaxValueValidator(DURATION_MAX_MINUTES)],
    )
    severity = models.PositiveSmallIntegerField(
        _("severity (0–10)"),
        validators=[MinValueValidator(SEVERITY_MIN), MaxValueValidator(SEVERITY_MAX)],
    )
    woke = models.BooleanField(_("woke me"), default=False)
    remedy_flex_foot = models.BooleanField(default=False)
    remedy_massage = models.BooleanField(default=False)
    remedy_ice = models.BooleanField(default=False)
    remedy_walk_or_jiggle = models.BooleanField(default=False)
    remedy_hot_shower_or_bath = models.BooleanField(default=False)
    remedy_other = models.BooleanField(default=False)
    relief = models.CharField(_("relief"), max_length=4, choices=Relief.choices, blank=True)

    class Meta:
        ordering = ["night", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(severity__gte=SEVERITY_MIN, severity__lte=SEVERITY_MAX),
                name="cramp_severity_0_to_10",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    duration_minutes__gt=0, duration_minutes__lte=DURATION_MAX_MINUTES
                ),
                name="cramp_duration_up_to_240_minutes",
            ),
        ]

    def __str__(self):
        return f"{self.get_muscle_display()} ({self.get_side_display()}), {self.severity}/10"

    def to_record(self) -> CrampRecord:
        return _cramp_record(lambda name: getattr(self, name))

    @staticmethod
    def fields_from_record(record: CrampRecord) -> dict:
        return {
            "muscle": record.muscle,
            "side": record.side,
            "duration_minutes": record.duration_minutes,
            "severity": record.severity,
            "woke": record.woke,
            **_flag_values(record.remedies, REMEDY_FIELDS),
            "relief": record.relief,
        }


# Stamped on every run. Version 3 ended the acknowledged and visit runs of the rules it
# redefined (migration 0012); version 1 runs all ended with version 2.
RULES_VERSION = 3


NOTHING_PRESSING = 3  # in DiaryState.top_state and top_level: no current prompt


class DiaryState(models.Model):
    """Per patient: a version that every change to the diary or profile bumps, the date the
    stored prompts were evaluated for (they are re-evaluated when that is not the patient's
    today), and what the clinician's dashboard shows and sorts by, kept with the prompts so that
    the dashboard reads one row a patient (diary.services.prompts keeps them current).
    """

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="diary_state",
    )
    version = models.PositiveIntegerField(default=0)
    prompts_evaluated_for = models.DateField(null=True, blank=True)
    # The dashboard's key: the level (0 urgent, 1 today, 2 visit) of the most pressing current
    # run not yet assessed, an unruled warning sign counting as today; and at that level,
    # whether a run is unanswered (0) or every one answered (1). NOTHING_PRESSING for both
    # when nothing waits for the clinician.
    top_state = models.PositiveSmallIntegerField(default=NOTHING_PRESSING)
    top_level = models.PositiveSmallIntegerField(default=NOTHING_PRESSING)
    # A warning sign ticked in the last 14 nights that is in no run's evidence and not yet
    # seen by a clinician ("Mark all as seen" adds its night to warning_signs_seen).
    unruled_warning_sign = models.BooleanField(default=False)
    warning_signs_seen = models.JSONField(default=list, blank=True)  # ISO dates
    recent_nights_logged = models.PositiveSmallIntegerField(default=0)  # of the last 14
    recent_cramp_nights = models.PositiveSmallIntegerField(default=0)
    last_logged = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["top_level", "top_state"], name="diary_state_pressing"),
            models.Index(fields=["prompts_evaluated_for"], name="diary_state_evaluated_for"),
        ]

    def __str__(self):
        return f"{self.patient}: version {self.version}, prompts for {self.prompts_evaluated_for}"


# The names live in diary.domain.runs (the life cycle); these add the words.
class PromptLevel(models.TextChoices):
    URGENT = runs.URGENT, _("Seek immediate medical care")
    TODAY = runs.TODAY, _("Contact a doctor today")
    VISIT = runs.VISIT, _("Schedule an office visit")


class Acknowledgement(models.TextChoices):
    SOUGHT_CARE = runs.SOUGHT_CARE, _("I have sought care")
    PASSED = runs.PASSED, _("It has passed; I did not need care")
    BOOKED_VISIT = runs.BOOKED_VISIT, _("I have booked a visit")
    DOCTOR_KNOWS = runs.DOCTOR_KNOWS, _("My doctor already knows about this")
    DOCTOR_CHECKED = runs.DOCTOR_CHECKED, _("A doctor has already checked this")


class EndReason(models.TextChoices):
    NO_LONGER_FIRES = runs.NO_LONGER_FIRES, _("no longer fires")
    NEW_EVIDENCE = runs.NEW_EVIDENCE, _("new evidence")
    ACKNOWLEDGED = runs.ACKNOWLEDGED, _("acknowledged")
    DIARY_CHANGED = runs.DIARY_CHANGED, _("the diary was changed")
    RULES_CHANGED = runs.RULES_CHANGED, _("the rules changed")


class Prompt(models.Model):
    """One run of a triage rule for a patient (the life cycle is diary.domain.runs).

    It stores the rule, its evidence nights and the figures behind the reason; the words are
    rendered when shown (diary.domain.reasons), for the patient or the clinician.
    """

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prompts"
    )
    rule = models.CharField(_("rule"), max_length=24)
    rules_version = models.PositiveSmallIntegerField(default=RULES_VERSION)
    level = models.CharField(_("level"), max_length=6, choices=PromptLevel.choices)
    figures = models.JSONField(_("figures"), default=dict)
    reason = models.TextField(_("reason"), blank=True)  # the words of version 1 runs only
    evidence = models.JSONField(_("evidence nights"), default=list)  # ISO dates, oldest first
    first_raised = models.DateField(_("first raised"))
    last_fired = models.DateField(_("last fired"))
    firing = models.BooleanField(_("fires today"), default=True)
    ended = models.DateField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(
        _("why it ended"), max_length=16, choices=EndReason.choices, blank=True
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledgement = models.CharField(
        _("acknowledgement"), max_length=16, choices=Acknowledgement.choices, blank=True
    )
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessed_prompts",
    )
    assessed_by_name = models.CharField(max_length=150, blank=True)  # kept if the account goes
    # The evidence nights when the run was acknowledged or assessed: a warning sign on any
    # other night is new evidence and starts a new run (urgent and today runs).
    seen_evidence = models.JSONField(default=list)

    class Meta:
        ordering = ["-first_raised", "rule"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "rule"],
                condition=models.Q(ended__isnull=True),
                name="one_open_prompt_per_rule",
            ),
            models.CheckConstraint(
                condition=models.Q(ended__isnull=True, end_reason="")
                | models.Q(ended__isnull=False) & ~models.Q(end_reason=""),
                name="prompt_ended_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["patient", "ended"], name="prompt_patient_ended")]

    def __str__(self):
        return f"{self.rule} for {self.patient} from {self.first_raised}"

    @property
    def is_urgent(self) -> bool:
        return self.level == PromptLevel.URGENT

    @property
    def is_visit(self) -> bool:
        return self.level == PromptLevel.VISIT

    @property
    def evidence_nights(self) -> list:
        return [date.fromisoformat(night) for night in self.evidence]

    @property
    def title(self) -> str:
        return reasons.title(self.rule)

    @property
    def is_past(self) -> bool:
        """Still current though its rule no longer fires: shown in the past tense."""
        return self.ended is None and not self.firing

    @property
    def patient_reason(self) -> str:
        return self.reason or reasons.reason(self.rule, self.figures, past=self.is_past)

    @property
    def clinician_reason(self) -> str:
        return self.reason or reasons.reason(self.rule, self.figures, reader=reasons.CLINICIAN)

    @property
    def action_line(self) -> str:
        """What to do, in the present or (a run in the past tense) "If it is still happening,
        … now. Otherwise, tell us below what you did."; %(number)s marks the emergency number."""
        return reasons.action_line(self.rule, past=self.is_past)

    @property
    def action_also(self) -> str:
        return reasons.action_also(self.rule)

    @property
    def acknowledgement_choices(self) -> list[Acknowledgement]:
        return [
            Acknowledgement(answer)
            for answer in runs.answers(self.level, triage.can_pass(self.rule))
        ]

    @property
    def state(self) -> str:
        """ "new", "acknowledged" or "assessed": how far it has been dealt with."""
        if self.assessed_at:
            return "assessed"
        return "acknowledged" if self.acknowledged_at else "new"


class PendingImport(models.Model):
    """A checked diary file waiting for the patient to confirm "k new, m replaced"."""

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True
    )
    payload = models.TextField()
    uploaded_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Import waiting for {self.patient}"


NIGHT_COLUMNS = [
    "id",
    "patient_id",
    "date",
    "sleep_quality",
    "daytime_impairment",
    *PREVENTION_FIELDS.values(),
    *SYMPTOM_FIELDS.values(),
    *RED_FLAG_FIELDS.values(),
    "toxin_exposure",
    "toxin_substance",
    "notes",
    *SLEEP_FIELDS,
]
CRAMP_COLUMNS = [
    "night_id",
    "muscle",
    "side",
    "duration_minutes",
    "severity",
    "woke",
    *REMEDY_FIELDS.values(),
    "relief",
]


# Up to this many nights, their cramps are read by the nights' ids, which PostgreSQL finds by
# index whatever it guesses of a patient's nights in a range (it once guessed 575 for 112, and
# read every cramp of the table instead); beyond, through a subquery, in one statement still.
CRAMPS_BY_NIGHT_IDS_UP_TO = 2000


def night_records(nights: models.QuerySet) -> list[tuple[int, NightRecord]]:
    """(patient id, record) for each night of the queryset, oldest first, in two queries.

    Reads plain rows rather than model instances: many times faster for long diaries and
    for a clinician's many patients.
    """
    rows = list(nights.order_by("date").values(*NIGHT_COLUMNS))
    ids = [row["id"] for row in rows]
    # No nights: the subquery too, so that an empty range costs the queries a full one does.
    read = ids if 0 < len(ids) <= CRAMPS_BY_NIGHT_IDS_UP_TO else nights.values("id")
    cramps = defaultdict(list)
    cramp_rows = Cramp.objects.filter(night__in=read).order_by("night_id", "position")
    for row in cramp_rows.values(*CRAMP_COLUMNS):
        cramps[row["night_id"]].append(_cramp_record(row.__getitem__))
    return [(row["patient_id"], _night_record(row.__getitem__, cramps[row["id"]])) for row in rows]


def treatment_records(patient) -> list[TreatmentRecord]:
    """The patient's treatments, oldest start first (one query)."""
    return [row.to_record() for row in Treatment.objects.filter(patient=patient)]


class Reminder(models.Model):
    """One patient's morning reminder for one local date (diary/domain/reminders.py).

    The row is the claim: send_reminders inserts it before the e-mail is queued, and the
    unique (patient, date) pair means that however many schedulers run at once, one of them
    wins and queues the one e-mail of that morning. `task_id` is chosen with the claim, so a
    run can tell the claims it won (with the database queue it is also the queued task's id).
    The worker sets `sent_at` before it hands the e-mail to the mail server; `used_at` is set
    when the e-mail's "no cramps last night" button is pressed.
    """

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    date = models.DateField(_("morning of"))  # the patient's own date; last night is the day before
    task_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    queued_at = models.DateTimeField(_("queued"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    used_at = models.DateTimeField(_("link used"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "date"], name="one_reminder_per_morning")
        ]
        indexes = [models.Index(fields=["date"], name="reminder_date")]

    def __str__(self):
        return f"Reminder for {self.patient_id} on {self.date:%Y-%m-%d}"

    @property
    def night(self) -> date:
        """The night the reminder is about: the one that began the evening before."""
        return date.fromordinal(self.date.toordinal() - 1)


class SaveKey(models.Model):
    """The idempotency key of one save from the log page (diary.services.nights.night_save_once).

    The page makes a fresh key for each form it shows, and a save that was kept offline is sent
    again with the same key until the server answers; a key the diary has already seen saves
    nothing, so a night is written once however often its save arrives. Not tied to the Night
    row: a key outlives the night being changed or deleted, so an old save sent late never
    overwrites what came after it.
    """

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="save_keys"
    )
    key = models.UUIDField()
    night = models.DateField(_("night of"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["patient", "key"], name="one_save_per_key")]

    def __str__(self):
        return f"Save {self.key} of {self.patient_id} for {self.night:%Y-%m-%d}"


class Treatment(models.Model):
    """Something a patient tries over weeks (magnesium, stretching, quinine…), from a start
    night to an optional stop night, judged by diary.services.treatments. Added by the patient, or
    by a linked clinician (`added_by`), who may then change or remove only their own."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="treatments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TreatmentKind.choices)
    name = models.CharField(_("name"), max_length=TREATMENT_NAME_MAX_LENGTH)
    start = models.DateField(_("first night"))
    stop = models.DateField(_("last night"), null=True, blank=True)
    dose = models.CharField(_("dose"), max_length=TREATMENT_DOSE_MAX_LENGTH, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by clinician"),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "name", "start"], name="one_treatment_per_name_and_start"
            ),
            models.CheckConstraint(
                condition=models.Q(stop__isnull=True) | models.Q(stop__gte=models.F("start")),
                name="treatment_stops_after_start",
            ),
        ]

    def __str__(self):
        return f"Treatment {self.pk} of {self.patient_id}"

    def to_record(self) -> TreatmentRecord:
        return TreatmentRecord(self.name, self.kind, self.start, self.stop, self.dose)

    @staticmethod
    def fields_from_record(record: TreatmentRecord) -> dict:
        return {
            "name": record.name.strip(),
            "kind": record.kind,
            "start": record.start,
            "stop": record.stop,
            "dose": record.dose.strip(),
        }


class PreparedFile(models.Model):
    """A download built by the task worker (diary.tasks): the summary PDF or the FHIR export.

    Long work never holds a web worker: the page asks for the file, the worker builds it and
    keeps it here (the app servers keep no state) for PREPARED_FILE_HOURS, for the person who
    asked only. Deleted with either account.
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        WORKING = "working"
        READY = "ready"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["requested_by", "-created"], name="prepared_file_by_asker")]

    def __str__(self):
        return f"Prepared {self.kind} {self.pk}"


class UndoRecord(models.Model):
    """What a night was before the last save from the log page, and what that save wrote, so
    the confirmation page can put it back (diary.services.nights.night_restore). Kept in the
    database, tied to the patient and deleted with them: the session holds only this row's id."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    night = models.DateField()
    previous = models.JSONField(null=True, blank=True)
    saved = models.JSONField()
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"Undo {self.pk} of {self.patient_id}"


class HealthProfile(models.Model):
    """What a patient tells us about their health; the triage rules read it."""

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="health_profile",
        limit_choices_to={"role": Role.PATIENT},
    )
    venous_disease = models.BooleanField(_("venous disease or varicose veins"), default=False)
    peripheral_artery_disease = models.BooleanField(_("peripheral artery disease"), default=False)
    pregnant = models.BooleanField(_("pregnant or gave birth in the last 12 weeks"), default=False)
    pregnancy_date = models.DateField(_("due date or birth date"), null=True, blank=True)
    kidney_disease = models.BooleanField(_("kidney disease"), default=False)
    heart_failure = models.BooleanField(_("heart failure"), default=False)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    medication_diuretic = models.BooleanField(default=False)
    medication_statin = models.BooleanField(default=False)
    medication_beta_agonist = models.BooleanField(default=False)
    medication_calcium_channel_blocker = models.BooleanField(default=False)
    medication_raloxifene_or_oestrogen = models.BooleanField(default=False)

    class Meta:
        # The table it had in accounts: the move kept every row where it was (migration 0011).
        db_table = "accounts_healthprofile"
        verbose_name = _("health profile")
        verbose_name_plural = _("health profiles")

    def __str__(self):
        return str(_("Health profile of %(patient)s") % {"patient": self.patient})

    @property
    def medications(self) -> frozenset[str]:
        return frozenset(value for value, name in MEDICATION_FIELDS.items() if getattr(self, name))

    @medications.setter
    def medications(self, chosen) -> None:
        for value, name in MEDICATION_FIELDS.items():
            setattr(self, name, value in chosen)

    def to_record(self) -> ProfileRecord:
        return ProfileRecord(
            venous_disease=self.venous_disease,
            peripheral_artery_disease=self.peripheral_artery_disease,
            pregnant=self.pregnant,
            pregnancy_date=self.pregnancy_date,
            kidney_disease=self.kidney_disease,
            heart_failure=self.heart_failure,
            date_of_birth=self.date_of_birth,
            medications=self.medications,
        )

    def pregnancy_lapsed(self, today) -> bool:
        """A given due or birth date counts until 12 weeks after it; then the profile asks again."""
        return self.to_record().pregnancy_lapsed(today)
