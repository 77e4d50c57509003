"""Nights and cramp episodes.

Multiple-choice answers (prevention, symptoms, remedies) are one boolean column per choice, so
plain SQL counts them on SQLite and PostgreSQL alike. Column names follow the vocabulary:
``prevention_<value>``, ``symptom_<value>``, ``remedy_<value>``.
"""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from diary.records import CrampRecord, NightRecord
from diary.triage import RULE_TITLES
from diary.vocabulary import (
    DURATION_MAX_MINUTES,
    NOTES_MAX_LENGTH,
    SEVERITY_MAX,
    SEVERITY_MIN,
    SUBSTANCE_MAX_LENGTH,
    DaytimeImpairment,
    Muscle,
    Prevention,
    Relief,
    Remedy,
    Side,
    SleepQuality,
    Symptom,
)


def choice_flags(prefix, choices):
    """The boolean column of each choice: {"fluids": "prevention_fluids", …}."""
    return {choice.value: f"{prefix}_{choice.value}" for choice in choices}


PREVENTION_FIELDS = choice_flags("prevention", Prevention)
SYMPTOM_FIELDS = choice_flags("symptom", Symptom)
REMEDY_FIELDS = choice_flags("remedy", Remedy)


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
        toxin_exposure=value_of("toxin_exposure"),
        toxin_substance=value_of("toxin_substance"),
        notes=value_of("notes"),
        cramps=tuple(cramps),
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
    toxin_exposure = models.BooleanField(_("exposed to a toxin"), default=False)
    toxin_substance = models.CharField(_("substance"), max_length=SUBSTANCE_MAX_LENGTH, blank=True)
    notes = models.TextField(_("notes"), max_length=NOTES_MAX_LENGTH, blank=True)
    logged_at = models.DateTimeField(_("first logged"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "date"], name="one_night_per_patient_date"),
            models.CheckConstraint(
                condition=models.Q(sleep_quality__isnull=True)
                | models.Q(sleep_quality__gte=1, sleep_quality__lte=5),
                name="night_sleep_quality_1_to_5",
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
            "toxin_exposure": record.toxin_exposure,
            "toxin_substance": record.toxin_substance,
            "notes": record.notes,
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


class DiaryState(models.Model):
    """Per patient: a version that every change to the diary or profile bumps, and the date the
    stored prompts were evaluated for (they are re-evaluated when that is not the patient's today).
    """

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="diary_state",
    )
    version = models.PositiveIntegerField(default=0)
    prompts_evaluated_for = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"{self.patient}: version {self.version}, prompts for {self.prompts_evaluated_for}"


class PromptLevel(models.TextChoices):
    URGENT = "urgent", _("Seek immediate medical care")
    VISIT = "visit", _("Schedule an office visit")


class Prompt(models.Model):
    """One continuous run of a triage rule firing for a patient.

    New evidence while the rule keeps firing updates the run and keeps its first-raised date and
    its acknowledgement; once the rule stops firing the run ends and stays in the history.
    """

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prompts"
    )
    rule = models.CharField(_("rule"), max_length=24)
    level = models.CharField(_("level"), max_length=6, choices=PromptLevel.choices)
    reason = models.TextField(_("reason"))
    evidence = models.JSONField(_("evidence nights"), default=list)  # ISO dates, oldest first
    first_raised = models.DateField(_("first raised"))
    last_fired = models.DateField(_("last fired"))
    ended = models.DateField(_("ended"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    class Meta:
        ordering = ["-first_raised", "rule"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "rule"],
                condition=models.Q(ended__isnull=True),
                name="one_open_prompt_per_rule",
            )
        ]

    def __str__(self):
        return f"{self.rule} for {self.patient} from {self.first_raised}"

    @property
    def is_urgent(self) -> bool:
        return self.level == PromptLevel.URGENT

    @property
    def evidence_nights(self) -> list:
        return [date.fromisoformat(night) for night in self.evidence]

    @property
    def title(self) -> str:
        return RULE_TITLES.get(self.rule, self.rule)

    @property
    def acknowledgement(self) -> str:
        """What the patient said, in their words."""
        return _("I have sought care") if self.is_urgent else _("I have booked a visit")


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
    "toxin_exposure",
    "toxin_substance",
    "notes",
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


def night_records(nights: models.QuerySet) -> list[tuple[int, NightRecord]]:
    """(patient id, record) for each night of the queryset, oldest first, in two queries.

    Reads plain rows rather than model instances: many times faster for long diaries and
    for a clinician's many patients.
    """
    cramps = defaultdict(list)
    cramp_rows = Cramp.objects.filter(night__in=nights.values("id")).order_by(
        "night_id", "position"
    )
    for row in cramp_rows.values(*CRAMP_COLUMNS):
        cramps[row["night_id"]].append(_cramp_record(row.__getitem__))
    return [
        (row["patient_id"], _night_record(row.__getitem__, cramps[row["id"]]))
        for row in nights.order_by("date").values(*NIGHT_COLUMNS)
    ]
