"""Plain records of a night and its cramps: what the domain modules take and return.

They hold no database rows and no request; views and commands convert ORM rows to them in
one place (diary.models) and save them through diary.nights.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class CrampRecord:
    muscle: str
    side: str
    duration_minutes: float
    severity: int
    woke: bool = False
    remedies: frozenset[str] = frozenset()
    relief: str = ""


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

    @property
    def has_answers(self) -> bool:
        """Anything at all to keep: a cramp or any answer about the night."""
        return bool(
            self.cramps
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
