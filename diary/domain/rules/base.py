"""What every rule is made of: the facts it is given, the diary it reads, the finding it returns
and its registry entry (diary.domain.rules holds the entries, in the order they are shown)."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from diary.domain.records import CrampRecord, NightRecord, TreatmentRecord
from diary.domain.runs import TODAY, URGENT, VISIT

ONE_SIDED = frozenset({"left", "right"})
HELPED_LITTLE = frozenset({"none", "some"})


@dataclass(frozen=True)
class HealthFacts:
    """What the rules are given besides the nights: the health profile, the treatments and the
    date quinine was last reviewed (a `quinine_review` run answered or assessed)."""

    venous_disease: bool = False
    peripheral_artery_disease: bool = False
    pregnant: bool = False
    pregnancy_date: date | None = None  # the due or birth date, when given
    kidney_disease: bool = False
    heart_failure: bool = False  # read by no rule: it changes the advice
    date_of_birth: date | None = None
    medications: frozenset[str] = frozenset()
    treatments: tuple[TreatmentRecord, ...] = ()
    quinine_reviewed: date | None = None

    def pregnant_on(self, today: date, days_after_date: int) -> bool:
        """Pregnant or recently gave birth; a given date lapses `days_after_date` after it."""
        if not self.pregnant:
            return False
        return self.pregnancy_date is None or today <= self.pregnancy_date + timedelta(
            days=days_after_date
        )

    def gave_birth_by(self, today: date) -> bool:
        """The given due or birth date has passed: "since you gave birth"."""
        return self.pregnancy_date is not None and self.pregnancy_date < today

    def age_on(self, today: date) -> int | None:
        born = self.date_of_birth
        if born is None:
            return None
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@dataclass(frozen=True)
class Finding:
    """A rule that fires: its level, the nights behind it (oldest first) and its figures.

    Figures are plain JSON values (numbers, strings, ISO dates) that the wording needs; every
    finding from a window also carries `logged` and `window`, how many of its nights were logged.
    """

    level: str
    rule: str
    evidence: tuple[date, ...]
    figures: dict = field(default_factory=dict, hash=False)


class Diary:
    """The logged nights before today, with windows counted back from today."""

    def __init__(self, nights: Iterable[NightRecord], today: date, thresholds):
        self.today = today
        self.t = thresholds
        self.by_date = {night.night: night for night in nights if night.night < today}

    def window(self, nights: int) -> list[NightRecord]:
        """Logged nights among today-nights ... today-1, oldest first."""
        first = self.today - timedelta(days=nights)
        return sorted(
            (night for day, night in self.by_date.items() if first <= day),
            key=lambda night: night.night,
        )

    def from_night(self, first: date) -> list[NightRecord]:
        """Logged nights from `first` to today-1, oldest first."""
        return sorted(
            (night for day, night in self.by_date.items() if first <= day),
            key=lambda night: night.night,
        )

    def follows_cramp_night(self, night: NightRecord) -> bool:
        before = self.by_date.get(night.night - timedelta(days=1))
        return before is not None and bool(before.cramps)

    def prolonged(self, cramp: CrampRecord) -> bool:
        return cramp.duration_minutes >= self.t.prolonged_minutes

    def severe(self, cramp: CrampRecord) -> bool:
        return cramp.severity >= self.t.severe_severity

    def one_sided_prolonged(self, night: NightRecord) -> list[CrampRecord]:
        return [c for c in night.cramps if self.prolonged(c) and c.side in ONE_SIDED]


def iso(night: date) -> str:
    return night.isoformat()


def dates(nights: Iterable[NightRecord]) -> tuple[date, ...]:
    return tuple(sorted({night.night for night in nights}))


def finding(level, rule, found, window: list, size: int, **figures) -> Finding:
    """A finding whose evidence is the `found` nights, from a window of `size` nights."""
    return Finding(level, rule, dates(found), {**figures, "logged": len(window), "window": size})


@dataclass(frozen=True)
class Action:
    """What a level tells the patient to do: the sentence in the present, and the phrase that
    fits "If it is still happening, {phrase} now" once the run is in the past tense. Either may
    hold %(number)s, the emergency number (a tel: link where it is shown)."""

    present: Any
    past: Any = ""
    also: Any = ""  # a second sentence, e.g. the short-of-breath line


# A visit's time frame: the shortest among a level's runs is the one shown.
WITHIN_TWO_WEEKS = "within_two_weeks"
NEXT_FEW_WEEKS = "next_few_weeks"


@dataclass(frozen=True)
class Words:
    """A rule's wording: its title, the reason to the patient (second person), to the
    clinician (third), in the past tense (urgent and today rules), and its own action when it
    has one (None: the level's)."""

    title: Any
    patient: Callable[[dict], str]
    clinician: Callable[[dict], str]
    past: Callable[[dict], str] | None = None
    action: Action | None = None
    time_frame: str = NEXT_FEW_WEEKS  # visit rules only


@dataclass(frozen=True)
class Rule:
    """One registry entry: everything a rule is, in one place.

    `defaults` are the thresholds it declares (settings.TRIAGE_THRESHOLDS may override these
    keys, and only declared keys); `window` names the threshold that is its window;
    `reads` the facts it reads besides the nights; `can_pass` whether "It has passed; I did not
    need care" is an answer to it; `reviewed` whether its run ends once reviewed.
    """

    id: str
    level: str
    window: str
    test: Callable[[Diary, HealthFacts], Finding | None]
    words: Words
    defaults: Mapping[str, Any] = field(default_factory=dict)
    reads: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()
    can_pass: bool = False
    reviewed: bool = False
    lookback: Callable[[Any], int] | None = None  # nights read, when more than its window

    def nights_read(self, thresholds) -> int:
        if self.lookback is not None:
            return self.lookback(thresholds)
        return getattr(thresholds, self.window) if self.window else 0


__all__ = ["TODAY", "URGENT", "VISIT"]
