"""The triage rules: when the diary says "Schedule an office visit" or "Seek immediate care".

Plain Python: it takes the health profile, the logged nights and `today`, and returns the
prompts that fire. It never reads the clock, the database or a request. The thresholds come from
settings.TRIAGE_THRESHOLDS (documented in docs/triage.md with their clinical reasoning).

"The last N nights" are the nights dated today-N ... today-1; later nights are ignored. Only
logged nights are evidence; a window with fewer than half its nights logged still fires, and
its reason says how many were logged.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from diary.records import NightRecord

URGENT = "urgent"
VISIT = "visit"


@dataclass(frozen=True)
class Thresholds:
    severe_window: int
    severe_severity: int
    severe_long_minutes: float
    severe_nights: int
    toxin_window: int
    toxin_days_after: int
    persistent_week: int
    persistent_nights_per_week: int
    impairment_window: int
    impairment_nights: int
    impairment_levels: tuple[str, ...]
    weakness_window: int
    venous_window: int


@dataclass(frozen=True)
class HealthFacts:
    """What the rules read from the health profile."""

    venous_disease: bool = False


@dataclass(frozen=True)
class Prompt:
    level: str  # URGENT or VISIT
    rule: str
    reason: str
    evidence: tuple[date, ...]  # the nights that made the rule fire, oldest first


class _Diary:
    """The logged nights before today, with windows counted back from today."""

    def __init__(self, nights: Iterable[NightRecord], today: date):
        self.today = today
        self.by_date = {night.night: night for night in nights if night.night < today}

    def window(self, nights: int, *, ending_before: int = 0) -> list[NightRecord]:
        """Logged nights among today-(ending_before+nights) ... today-(ending_before+1)."""
        last = self.today - timedelta(days=ending_before + 1)
        first = last - timedelta(days=nights - 1)
        return sorted(
            (night for day, night in self.by_date.items() if first <= day <= last),
            key=lambda night: night.night,
        )

    def coverage_note(self, logged: int, nights: int) -> str:
        if logged * 2 >= nights:
            return ""
        return " " + ngettext(
            "(Only %(logged)d of the last %(nights)d nights logged.)",
            "(Only %(logged)d of the last %(nights)d nights logged.)",
            nights,
        ) % {"logged": logged, "nights": nights}


def _day(night: date) -> str:
    return date_format(night, "j M")


def _dates(nights: Iterable[NightRecord]) -> tuple[date, ...]:
    return tuple(sorted({night.night for night in nights}))


def _severe_persistent(diary: _Diary, facts: HealthFacts, t: Thresholds) -> Prompt | None:
    window = diary.window(t.severe_window)
    long_severe = [
        (night, cramp)
        for night in window
        for cramp in night.cramps
        if cramp.severity >= t.severe_severity and cramp.duration_minutes >= t.severe_long_minutes
    ]
    severe_nights = [
        night
        for night in window
        if any(cramp.severity >= t.severe_severity for cramp in night.cramps)
    ]
    note = diary.coverage_note(len(window), t.severe_window)
    if long_severe:
        night, cramp = max(long_severe, key=lambda pair: (pair[1].severity, pair[0].night))
        reason = _(
            "A cramp of %(severity)d/10 lasting %(minutes)s minutes on the night of %(night)s: "
            "severe cramps rarely last %(limit)s minutes or more."
        ) % {
            "severity": cramp.severity,
            "minutes": f"{cramp.duration_minutes:g}",
            "night": _day(night.night),
            "limit": f"{t.severe_long_minutes:g}",
        }
        evidence = [n for n, _cramp in long_severe]
        if len(severe_nights) >= t.severe_nights:
            evidence += severe_nights
        return Prompt(URGENT, "severe_persistent", reason + note, _dates(evidence))
    if len(severe_nights) >= t.severe_nights:
        reason = _(
            "Cramps of %(severity)d/10 or worse on %(count)d of the last %(nights)d nights."
        ) % {"severity": t.severe_severity, "count": len(severe_nights), "nights": t.severe_window}
        return Prompt(URGENT, "severe_persistent", reason + note, _dates(severe_nights))
    return None


def _toxin_exposure(diary: _Diary, facts: HealthFacts, t: Thresholds) -> Prompt | None:
    cramp_nights = [night for night in diary.window(t.toxin_window) if night.cramps]
    exposures = [
        night for night in diary.window(t.toxin_window + t.toxin_days_after) if night.toxin_exposure
    ]
    pairs = [
        (exposure, cramp_night)
        for exposure in exposures
        for cramp_night in cramp_nights
        if 0 <= (cramp_night.night - exposure.night).days <= t.toxin_days_after
    ]
    if not pairs:
        return None
    exposure = max((pair[0] for pair in pairs), key=lambda night: night.night)
    followed = _dates(pair[1] for pair in pairs)
    substance = exposure.toxin_substance or _("a toxin")
    reason = ngettext(
        "Cramps on %(count)d night within %(days)d days after exposure to %(substance)s "
        "on the night of %(exposed)s.",
        "Cramps on %(count)d nights within %(days)d days after exposure to %(substance)s "
        "on the night of %(exposed)s.",
        len(followed),
    ) % {
        "count": len(followed),
        "days": t.toxin_days_after,
        "substance": substance,
        "exposed": _day(exposure.night),
    }
    note = diary.coverage_note(len(diary.window(t.toxin_window)), t.toxin_window)
    evidence = _dates(pair[0] for pair in pairs) + followed
    return Prompt(URGENT, "toxin_exposure", reason + note, tuple(sorted(set(evidence))))


def _persistent_cramps(diary: _Diary, facts: HealthFacts, t: Thresholds) -> Prompt | None:
    this_week = [n for n in diary.window(t.persistent_week) if n.cramps]
    week_before = [
        n for n in diary.window(t.persistent_week, ending_before=t.persistent_week) if n.cramps
    ]
    needed = t.persistent_nights_per_week
    if len(this_week) < needed or len(week_before) < needed:
        return None
    reason = _(
        "Cramps on %(recent)d of the last %(week)d nights and on %(before)d of the %(week)d "
        "nights before: painful cramps that keep coming."
    ) % {"recent": len(this_week), "before": len(week_before), "week": t.persistent_week}
    note = diary.coverage_note(len(diary.window(2 * t.persistent_week)), 2 * t.persistent_week)
    return Prompt(VISIT, "persistent_cramps", reason + note, _dates(week_before + this_week))


def _daytime_impairment(diary: _Diary, facts: HealthFacts, t: Thresholds) -> Prompt | None:
    window = diary.window(t.impairment_window)
    impaired = [
        night
        for night in window
        if any(cramp.woke for cramp in night.cramps)
        and night.daytime_impairment in t.impairment_levels
    ]
    if len(impaired) < t.impairment_nights:
        return None
    reason = _(
        "Cramps woke you and the day after was hard to get through on %(count)d of the last "
        "%(nights)d nights."
    ) % {"count": len(impaired), "nights": t.impairment_window}
    note = diary.coverage_note(len(window), t.impairment_window)
    return Prompt(VISIT, "daytime_impairment", reason + note, _dates(impaired))


def _weakness_atrophy(diary: _Diary, facts: HealthFacts, t: Thresholds) -> Prompt | None:
    window = diary.window(t.weakness_window)
    symptom_nights = [night for night in window if night.symptoms]
    cramp_nights = [night for night in window if night.cramps]
    if not symptom_nights or not cramp_nights:
        return None
    reason = _(
        "You noted muscle weakness or wasting on %(symptoms)s, and had cramps on %(cramps)d of "
        "the last %(nights)d nights."
    ) % {
        "symptoms": ", ".join(_day(night.night) for night in symptom_nights),
        "cramps": len(cramp_nights),
        "nights": t.weakness_window,
    }
    note = diary.coverage_note(len(window), t.weakness_window)
    return Prompt(VISIT, "weakness_atrophy", reason + note, _dates(symptom_nights + cramp_nights))


def _venous_disease(diary: _Diary, facts: HealthFacts, t: Thresholds) -> Prompt | None:
    if not facts.venous_disease:
        return None
    window = diary.window(t.venous_window)
    cramp_nights = [night for night in window if night.cramps]
    if not cramp_nights:
        return None
    reason = _(
        "Your profile records venous disease or varicose veins, and you had cramps on "
        "%(count)d of the last %(nights)d nights: treating the veins sometimes ends the cramps."
    ) % {"count": len(cramp_nights), "nights": t.venous_window}
    note = diary.coverage_note(len(window), t.venous_window)
    return Prompt(VISIT, "venous_disease", reason + note, _dates(cramp_nights))


RULES = (
    _severe_persistent,
    _toxin_exposure,
    _persistent_cramps,
    _daytime_impairment,
    _weakness_atrophy,
    _venous_disease,
)
RULE_TITLES = {
    "severe_persistent": gettext_lazy("Severe and persistent cramping"),
    "toxin_exposure": gettext_lazy("Cramps after exposure to a toxin"),
    "persistent_cramps": gettext_lazy("Painful cramps that keep coming"),
    "daytime_impairment": gettext_lazy("Broken sleep that makes the day hard"),
    "weakness_atrophy": gettext_lazy("Muscle weakness or wasting with cramps"),
    "venous_disease": gettext_lazy("Cramps with venous disease or varicose veins"),
}
RULE_IDS = tuple(RULE_TITLES)


def lookback_nights(t: Thresholds) -> int:
    """How many nights before today the rules read: load at least these."""
    return max(
        t.severe_window,
        t.toxin_window + t.toxin_days_after,
        2 * t.persistent_week,
        t.impairment_window,
        t.weakness_window,
        t.venous_window,
    )


def evaluate(
    facts: HealthFacts, nights: Iterable[NightRecord], today: date, thresholds: Thresholds
) -> list[Prompt]:
    """The prompts that fire for `today`: urgent ones first, each rule at most once."""
    diary = _Diary(nights, today)
    fired = [prompt for rule in RULES if (prompt := rule(diary, facts, thresholds))]
    return sorted(fired, key=lambda prompt: (prompt.level != URGENT, RULE_IDS.index(prompt.rule)))
