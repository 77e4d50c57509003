"""Plain records of a night and its cramps: what the domain modules take and return.

They hold no database rows and no request; views and commands convert ORM rows to them in
one place (diary.models) and save them through diary.services.nights.
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta


@dataclass(frozen=True)
class CrampRecord:
    muscle: str
    side: str
    duration_minutes: float
    severity: int
    woke: bool = False
    remedies: frozenset[str] = frozenset()
    relief: str = ""


# The optional sleep details, in the Consensus Sleep Diary's order: local times of day, and
# whole minutes or a count (diary.domain.sleep derives the figures from them).
SLEEP_TIMES = ("bed_time", "try_sleep_time", "final_wake_time", "out_of_bed_time")
SLEEP_COUNTS = ("sleep_onset_minutes", "awakenings", "awake_minutes")
SLEEP_FIELDS = (
    "bed_time",
    "try_sleep_time",
    "sleep_onset_minutes",
    "awakenings",
    "awake_minutes",
    "final_wake_time",
    "out_of_bed_time",
)


@dataclass(frozen=True)
class NightRecord:
    night: date
    sleep_quality: int | None = None
    daytime_impairment: str = ""
    prevention: frozenset[str] = frozenset()
    symptoms: frozenset[str] = frozenset()
    red_flags: frozenset[str] = frozenset()
    toxin_exposure: bool = False
    toxin_substance: str = ""
    notes: str = ""
    cramps: tuple[CrampRecord, ...] = field(default=())
    bed_time: time | None = None
    try_sleep_time: time | None = None
    sleep_onset_minutes: int | None = None
    awakenings: int | None = None
    awake_minutes: int | None = None
    final_wake_time: time | None = None
    out_of_bed_time: time | None = None

    @property
    def has_sleep_details(self) -> bool:
        return any(getattr(self, name) is not None for name in SLEEP_FIELDS)

    @property
    def has_answers(self) -> bool:
        """Anything at all to keep: a cramp or any answer about the night."""
        return bool(
            self.cramps
            or self.has_sleep_details
            or self.sleep_quality is not None
            or self.daytime_impairment
            or self.prevention
            or self.symptoms
            or self.red_flags
            or self.toxin_exposure
            or self.toxin_substance
            or self.notes
        )

    @property
    def is_cramp_night(self) -> bool:
        return bool(self.cramps)

    @property
    def times_woken(self) -> int:
        return sum(cramp.woke for cramp in self.cramps)

    @property
    def worst_severity(self) -> int | None:
        return max((cramp.severity for cramp in self.cramps), default=None)

    @property
    def cramp_minutes(self) -> float:
        return sum(cramp.duration_minutes for cramp in self.cramps)


@dataclass(frozen=True)
class TreatmentRecord:
    """Something tried over weeks, from its first night `start` to its last night `stop`
    (None: still going on). `name` is what the patient calls it; `kind` is from the vocabulary."""

    name: str
    kind: str
    start: date
    stop: date | None = None
    dose: str = ""

    @property
    def identity(self) -> tuple[str, date]:
        """What makes two treatments the same: the name (case and spaces aside) and the start."""
        return (self.name.strip().casefold(), self.start)

    def taken_between(self, first: date, last: date) -> bool:
        """Whether it was taken on any night first..last."""
        return self.start <= last and (self.stop is None or self.stop >= first)


# A given due or birth date counts until 12 weeks (84 days, inclusive) after it: the risk of a
# clot stays raised for about 12 weeks after a birth (Kamel et al., NEJM 2014).
PREGNANCY_COUNTS_DAYS = 84


@dataclass(frozen=True)
class ProfileRecord:
    """The patient's health profile as plain facts (diary.models.HealthProfile.to_record)."""

    venous_disease: bool = False
    peripheral_artery_disease: bool = False
    pregnant: bool = False
    pregnancy_date: date | None = None  # the due or birth date, when given
    kidney_disease: bool = False
    heart_failure: bool = False
    date_of_birth: date | None = None
    medications: frozenset[str] = frozenset()

    def pregnancy_lapsed(self, today: date) -> bool:
        """The pregnancy answer no longer counts: its date lies more than 12 weeks back."""
        return bool(
            self.pregnant
            and self.pregnancy_date
            and today > self.pregnancy_date + timedelta(days=PREGNANCY_COUNTS_DAYS)
        )

    def gave_birth_by(self, today: date) -> bool:
        """The given date has passed (and still counts): words say "since you gave birth"."""
        return bool(
            self.pregnant
            and self.pregnancy_date
            and self.pregnancy_date < today
            and not self.pregnancy_lapsed(today)
        )

    def pregnancy_counts_until(self) -> date | None:
        if not (self.pregnant and self.pregnancy_date):
            return None
        return self.pregnancy_date + timedelta(days=PREGNANCY_COUNTS_DAYS)

    @property
    def limits_fluids(self) -> bool:
        """Kidney disease or heart failure: fluids and potassium are for the patient's own team
        to set, so the general advice to drink more and eat potassium-rich food is not given."""
        return self.kidney_disease or self.heart_failure
