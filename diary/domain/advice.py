"""Advice fitted to the patient: which cautions a page shows, from plain records.

The fluids and potassium advice depends on the health profile (ProfileRecord.limits_fluids);
the heat caution on the nights: heat on legs that are numb can burn without being felt.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from diary.domain.records import NightRecord
from diary.domain.vocabulary import Remedy, Symptom

# A night that records numbness or tingling makes heat a risk for the 30 nights after it.
HEAT_CAUTION_NIGHTS = 30


def numbness_window(night: date) -> tuple[date, date]:
    """The earlier nights whose numbness counts for `night`: night−30 … night−1."""
    return night - timedelta(days=HEAT_CAUTION_NIGHTS), night - timedelta(days=1)


def used_heat(night: NightRecord) -> bool:
    return any(Remedy.HOT_SHOWER_OR_BATH in cramp.remedies for cramp in night.cramps)


def heat_caution(night: NightRecord, numb_nights: Iterable[date]) -> bool:
    """A hot shower or bath was tried on a night that records numbness or tingling, or after a
    night in the 30 before it that did; `numb_nights` are the dates of nights recording it."""
    if not used_heat(night):
        return False
    if Symptom.NUMBNESS_TINGLING in night.symptoms:
        return True
    first, last = numbness_window(night.night)
    return any(first <= numb <= last for numb in numb_nights)


# The level of what the confirmation page's advice for each ticked warning sign says to do.
URGENT_SIGNS = frozenset({"cramp_wont_stop", "leg_cold_pale", "dark_urine"})


def warning_sign_level(red_flags: Iterable[str]) -> str | None:
    """The most pressing level the ticked warning signs' advice speaks for ("urgent", "today"),
    or None. The prompt box below that advice leaves out its own action line only when it is
    of this same level: a box more pressing than the signs must still say what to do."""
    flags = set(red_flags)
    if flags & URGENT_SIGNS:
        return "urgent"
    return "today" if flags else None
