"""The rules of the data: one check per rule, shared by the forms, the importer and the URLs.

Each check takes plain records and returns the problems it finds as (field, message) pairs, so a
form can show each message beside its field and an importer can name the night and field.
Field names are the record's (`severity`, `toxin_substance`); a cramp's problems carry its
position (`cramps.2.severity`, counted from 1).
"""

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from diary.domain.records import SLEEP_TIMES, CrampRecord, NightRecord, TreatmentRecord
from diary.domain.vocabulary import (
    AWAKENINGS_MAX,
    DURATION_MAX_MINUTES,
    DURATION_MIN_MINUTES,
    MAX_CRAMPS_PER_NIGHT,
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
    Symptom,
    TreatmentKind,
)

EARLIEST_DATE = date(1900, 1, 1)
# A due date lies at most about 10 months ahead; a birth date counts for 12 weeks after it
# (records.PREGNANCY_COUNTS_DAYS) and is accepted up to a year back (the profile then asks again).
PREGNANCY_DATE_AHEAD = timedelta(days=300)
PREGNANCY_DATE_BEHIND = timedelta(days=365)


@dataclass(frozen=True)
class Problem:
    field: str
    message: str | Promise

    def __str__(self):
        return f"{self.field}: {self.message}"


def night_date_problem(night: date, *, latest: date) -> str | Promise | None:
    """Why a date cannot be a night of the diary, or None."""
    if night > latest:
        return _("This night has not happened yet: the latest night you can log is last night.")
    if night < EARLIEST_DATE:
        return _("A diary starts in 1900 at the earliest.")
    return None


def text_problem(value: str, max_length: int) -> str | Promise | None:
    """Text a database can store: not too long, no NUL bytes, no lone surrogates."""
    if len(value) > max_length:
        return _("At most %(limit)d characters, please (this has %(length)d).") % {
            "limit": max_length,
            "length": len(value),
        }
    if "\x00" in value or any("\ud800" <= char <= "\udfff" for char in value):
        return _("This text holds characters that cannot be stored. Please retype it.")
    return None


def _choice_problems(field: str, chosen: Collection[str], choices) -> Iterator[Problem]:
    if any(value not in choices.values for value in chosen):
        yield Problem(field, _("Please pick from the choices shown."))


def cramp_problems(cramp: CrampRecord, *, prefix: str = "") -> Iterator[Problem]:
    if cramp.muscle not in Muscle.values:
        yield Problem(f"{prefix}muscle", _("Which muscle cramped?"))
    if cramp.side not in Side.values:
        yield Problem(f"{prefix}side", _("Which side?"))
    minutes = cramp.duration_minutes
    if not isinstance(minutes, int | float) or isinstance(minutes, bool):
        yield Problem(f"{prefix}duration_minutes", _("How many minutes did it last?"))
    elif not DURATION_MIN_MINUTES <= minutes <= DURATION_MAX_MINUTES:
        yield Problem(
            f"{prefix}duration_minutes",
            _("From %(low)s to %(high)s minutes, please: 0.5 is half a minute.")
            % {"low": f"{DURATION_MIN_MINUTES:g}", "high": DURATION_MAX_MINUTES},
        )
    severity = cramp.severity
    if isinstance(severity, bool) or not isinstance(severity, int):
        yield Problem(f"{prefix}severity", _("How bad was it, from 0 to 10?"))
    elif not SEVERITY_MIN <= severity <= SEVERITY_MAX:
        yield Problem(f"{prefix}severity", _("Pick a number from 0 to 10."))
    yield from _choice_problems(f"{prefix}remedies", cramp.remedies, Remedy)
    if cramp.relief and cramp.relief not in Relief.values:
        yield Problem(f"{prefix}relief", _("Please pick one of the choices shown."))


# Each count of the sleep details: its upper bound, and what to say when it is not a whole
# number, or is one outside 0..bound.
SLEEP_COUNT_RULES = (
    (
        "sleep_onset_minutes",
        SLEEP_MINUTES_MAX,
        _("Type the minutes it took to fall asleep as a whole number, such as 20."),
        _("Minutes to fall asleep: from 0 to %(limit)d (12 hours), please."),
    ),
    (
        "awakenings",
        AWAKENINGS_MAX,
        _("Type how many times you woke as a whole number, such as 2."),
        _("Times you woke: from 0 to %(limit)d, please."),
    ),
    (
        "awake_minutes",
        SLEEP_MINUTES_MAX,
        _("Type the minutes awake in the night as a whole number, such as 30."),
        _("Minutes awake in the night: from 0 to %(limit)d (12 hours) in all, please."),
    ),
)


def sleep_problems(record: NightRecord) -> Iterator[Problem]:
    """The sleep details: times of day, and whole numbers within their bounds."""
    for name in SLEEP_TIMES:
        value = getattr(record, name)
        if value is not None and not isinstance(value, time):
            yield Problem(name, _("Type the time as hours and minutes, such as 22:30."))
    for name, limit, not_whole, outside in SLEEP_COUNT_RULES:
        value = getattr(record, name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            yield Problem(name, not_whole)
        elif not 0 <= value <= limit:
            yield Problem(name, outside % {"limit": limit})


def night_problems(record: NightRecord, *, latest: date) -> list[Problem]:
    """Everything wrong with a night as it would be saved; empty when it can be saved."""
    problems = []
    if message := night_date_problem(record.night, latest=latest):
        problems.append(Problem("night", message))
    if record.sleep_quality is not None and (
        isinstance(record.sleep_quality, bool) or record.sleep_quality not in range(1, 6)
    ):
        problems.append(Problem("sleep_quality", _("Please pick one of the choices shown.")))
    if record.daytime_impairment and record.daytime_impairment not in DaytimeImpairment.values:
        problems.append(Problem("daytime_impairment", _("Please pick one of the choices shown.")))
    problems += _choice_problems("prevention", record.prevention, Prevention)
    problems += _choice_problems("symptoms", record.symptoms, Symptom)
    problems += _choice_problems("red_flags", record.red_flags, RedFlag)
    problems += sleep_problems(record)
    for field, limit in (("toxin_substance", SUBSTANCE_MAX_LENGTH), ("notes", NOTES_MAX_LENGTH)):
        if message := text_problem(getattr(record, field), limit):
            problems.append(Problem(field, message))
    if record.toxin_substance and not record.toxin_exposure:
        problems.append(
            Problem(
                "toxin_substance",
                _("Tick “I was exposed to a toxin” too, or clear the substance."),
            )
        )
    if len(record.cramps) > MAX_CRAMPS_PER_NIGHT:
        problems.append(
            Problem(
                "cramps",
                _("At most %(limit)d cramps a night, please.") % {"limit": MAX_CRAMPS_PER_NIGHT},
            )
        )
    else:
        for number, cramp in enumerate(record.cramps, start=1):
            problems += cramp_problems(cramp, prefix=f"cramps.{number}.")
    return problems


@dataclass(frozen=True)
class ProfileAnswers:
    """The health profile as a form or a file gives it (None: not given)."""

    date_of_birth: date | None = None
    pregnancy_date: date | None = None
    pregnant: bool = False
    medications: frozenset[str] = frozenset()
    time_zone: str | None = None


def profile_problems(
    answers: ProfileAnswers, *, today: date, time_zones: Collection[str]
) -> list[Problem]:
    problems = []
    born = answers.date_of_birth
    if born is not None and born > today:
        problems.append(Problem("date_of_birth", _("The date of birth cannot be in the future.")))
    elif born is not None and born < EARLIEST_DATE:
        problems.append(Problem("date_of_birth", _("Please check the year of birth.")))
    expected = answers.pregnancy_date
    if expected is not None and not answers.pregnant:
        problems.append(
            Problem(
                "pregnancy_date",
                _("Tick “pregnant or gave birth in the last 12 weeks” too, or clear the date."),
            )
        )
    elif expected is not None and not (
        today - PREGNANCY_DATE_BEHIND <= expected <= today + PREGNANCY_DATE_AHEAD
    ):
        problems.append(
            Problem(
                "pregnancy_date",
                _("Please check the date: the due date or the date you gave birth."),
            )
        )
    problems += _choice_problems("medications", answers.medications, Medication)
    if answers.time_zone is not None and answers.time_zone not in time_zones:
        problems.append(Problem("time_zone", _("Please pick a time zone from the list.")))
    return problems


# A stop night may be planned ahead (a four-week course, say), up to a year.
TREATMENT_STOP_AHEAD = timedelta(days=366)


def treatment_problems(
    treatment: TreatmentRecord, *, today: date, others: Collection[TreatmentRecord] = ()
) -> list[Problem]:
    """What is wrong with a treatment, given the patient's today and their other treatments."""
    problems = []
    if treatment.kind not in TreatmentKind.values:
        problems.append(Problem("kind", _("Please pick one of the choices shown.")))
    name = treatment.name.strip()
    if not name:
        problems.append(Problem("name", _("What is it called? For example “Magnesium citrate”.")))
    elif problem := text_problem(name, TREATMENT_NAME_MAX_LENGTH):
        problems.append(Problem("name", problem))
    if problem := text_problem(treatment.dose, TREATMENT_DOSE_MAX_LENGTH):
        problems.append(Problem("dose", problem))
    start, stop = treatment.start, treatment.stop
    if start > today:
        problems.append(
            Problem(
                "start", _("Add it on the day you start: the first night is tonight at the latest.")
            )
        )
    elif start < EARLIEST_DATE:
        problems.append(Problem("start", _("Please check the year.")))
    if stop is not None and stop < start:
        problems.append(Problem("stop", _("The last night cannot come before the first night.")))
    elif stop is not None and stop > today + TREATMENT_STOP_AHEAD:
        problems.append(Problem("stop", _("Please give a last night within a year from today.")))
    if any(other.identity == treatment.identity for other in others):
        problems.append(
            Problem("start", _("This treatment is already in your diary from that night."))
        )
    return problems
