"""The triage rules: when the diary says "Seek immediate medical care", "Contact a doctor today"
or "Schedule an office visit".

Plain Python: it takes the health profile, the logged nights and `today`, and returns the
findings that fire: the rule, its level, the evidence nights and the figures behind the reason.
The words are rendered when shown (diary.domain.reasons), for the patient or the clinician. It never
reads the clock, the database or a request. The thresholds come from settings.TRIAGE_THRESHOLDS,
documented with their clinical reasoning and sources in docs/triage.md.

"The last N nights" are the nights dated today-N ... today-1; later nights are ignored. Only
logged nights are evidence; a window with fewer than half its nights logged still fires, and
its figures say how many were logged.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from diary.domain import verdicts
from diary.domain.records import CrampRecord, NightRecord, TreatmentRecord

URGENT = "urgent"
TODAY = "today"
VISIT = "visit"
LEVELS = (URGENT, TODAY, VISIT)  # most pressing first

ONE_SIDED = frozenset({"left", "right"})
HELPED_LITTLE = frozenset({"none", "some"})
NERVE_OR_MUSCLE_SIGNS = frozenset({"muscle_weakness", "muscle_atrophy", "twitching"})
NOT_TYPICAL_SIGNS = frozenset({"daytime_cramps", "cramps_elsewhere"})


@dataclass(frozen=True)
class Thresholds:
    prolonged_minutes: float
    severe_severity: int
    cramp_wont_stop_window: int
    leg_cold_pale_window: int
    dark_urine_window: int
    toxin_window: int
    toxin_days_after: int
    leg_swollen_window: int
    severe_prolonged_window: int
    pregnancy_window: int
    pregnancy_days_after_date: int
    pad_rest_pain_window: int
    pad_rest_pain_nights: int
    prolonged_window: int
    prolonged_nights: int
    severe_frequent_window: int
    severe_frequent_nights: int
    persistent_window: int
    persistent_nights: int
    persistent_bother_severity: int
    impairment_window: int
    impairment_nights: int
    impairment_levels: tuple[str, ...]
    weakness_window: int
    weakness_cramp_window: int
    not_typical_window: int
    not_typical_nights: int
    venous_window: int
    venous_nights: int
    artery_window: int
    artery_cramp_nights: int
    medication_window: int
    medication_nights: int
    quinine_review_after: int


@dataclass(frozen=True)
class HealthFacts:
    """What the rules read from the health profile."""

    venous_disease: bool = False
    peripheral_artery_disease: bool = False
    pregnant: bool = False
    pregnancy_date: date | None = None  # the due or birth date, when given
    medications: frozenset[str] = frozenset()
    treatments: tuple[TreatmentRecord, ...] = ()

    def pregnant_on(self, today: date, days_after_date: int) -> bool:
        """Pregnant or recently gave birth; a given date lapses `days_after_date` after it."""
        if not self.pregnant:
            return False
        return self.pregnancy_date is None or today <= self.pregnancy_date + timedelta(
            days=days_after_date
        )


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


class _Diary:
    """The logged nights before today, with windows counted back from today."""

    def __init__(self, nights: Iterable[NightRecord], today: date, thresholds: "Thresholds"):
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

    def prolonged(self, cramp: CrampRecord) -> bool:
        return cramp.duration_minutes >= self.t.prolonged_minutes

    def severe(self, cramp: CrampRecord) -> bool:
        return cramp.severity >= self.t.severe_severity


def _iso(night: date) -> str:
    return night.isoformat()


def _dates(nights: Iterable[NightRecord]) -> tuple[date, ...]:
    return tuple(sorted({night.night for night in nights}))


def _finding(level, rule, found, window: list, size: int, **figures) -> Finding:
    """A finding whose evidence is the `found` nights, from a window of `size` nights."""
    evidence = _dates(found)
    return Finding(level, rule, evidence, {**figures, "logged": len(window), "window": size})


def _red_flag(flag: str, level: str, rule: str, window_size: int):
    def rule_fires(diary: _Diary, facts: HealthFacts) -> Finding | None:
        window = diary.window(window_size)
        flagged = [night for night in window if flag in night.red_flags]
        if not flagged:
            return None
        return _finding(level, rule, flagged, window, window_size, night=_iso(flagged[-1].night))

    return rule_fires


def _severe_persistent(diary, facts):
    return _red_flag(
        "cramp_wont_stop", URGENT, "severe_persistent", diary.t.cramp_wont_stop_window
    )(diary, facts)


def _limb_ischaemia(diary, facts):
    return _red_flag("leg_cold_pale", URGENT, "limb_ischaemia", diary.t.leg_cold_pale_window)(
        diary, facts
    )


def _clot_signs(diary, facts):
    return _red_flag("leg_swollen", TODAY, "clot_signs", diary.t.leg_swollen_window)(diary, facts)


def _dark_urine(diary, facts):
    size = diary.t.dark_urine_window
    window = diary.window(size)
    flagged = [night for night in window if "dark_urine" in night.red_flags]
    cramp_nights = [night for night in window if night.cramps]
    if not flagged or not cramp_nights:
        return None
    return _finding(
        URGENT, "dark_urine", flagged + cramp_nights, window, size, night=_iso(flagged[-1].night)
    )


def _toxin_exposure(diary, facts):
    t = diary.t
    window = diary.window(t.toxin_window)
    cramp_nights = [night for night in window if night.cramps]
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
    followed = {pair[1].night for pair in pairs}
    return _finding(
        URGENT,
        "toxin_exposure",
        [pair[0] for pair in pairs] + [pair[1] for pair in pairs],
        window,
        t.toxin_window,
        exposed=_iso(exposure.night),
        substance=exposure.toxin_substance,
        cramp_nights=len(followed),
        days=t.toxin_days_after,
    )


def _severe_prolonged(diary, facts):
    size = diary.t.severe_prolonged_window
    window = diary.window(size)
    found = [
        (night, cramp)
        for night in window
        for cramp in night.cramps
        if diary.severe(cramp) and diary.prolonged(cramp) and cramp.relief in HELPED_LITTLE
    ]
    if not found:
        return None
    night, cramp = max(found, key=lambda pair: (pair[0].night, pair[1].severity))
    return _finding(
        TODAY,
        "severe_prolonged",
        [pair[0] for pair in found],
        window,
        size,
        night=_iso(night.night),
        severity=cramp.severity,
        minutes=cramp.duration_minutes,
        relief=cramp.relief,
    )


def _one_sided_prolonged(diary: _Diary, night: NightRecord) -> list[CrampRecord]:
    return [c for c in night.cramps if diary.prolonged(c) and c.side in ONE_SIDED]


def _pregnancy_one_sided(diary, facts):
    t = diary.t
    if not facts.pregnant_on(diary.today, t.pregnancy_days_after_date):
        return None
    window = diary.window(t.pregnancy_window)
    nights = [night for night in window if _one_sided_prolonged(diary, night)]
    if not nights:
        return None
    longest = max(
        (cramp for night in nights for cramp in _one_sided_prolonged(diary, night)),
        key=lambda cramp: cramp.duration_minutes,
    )
    return _finding(
        TODAY,
        "pregnancy_one_sided",
        nights,
        window,
        t.pregnancy_window,
        nights=len(nights),
        minutes=longest.duration_minutes,
    )


def _pad_rest_pain(diary, facts):
    t = diary.t
    if not facts.peripheral_artery_disease:
        return None
    window = diary.window(t.pad_rest_pain_window)
    nights = [night for night in window if _one_sided_prolonged(diary, night)]
    if len(nights) < t.pad_rest_pain_nights:
        return None
    return _finding(
        TODAY, "pad_rest_pain", nights, window, t.pad_rest_pain_window, nights=len(nights)
    )


def _prolonged_cramps(diary, facts):
    t = diary.t
    window = diary.window(t.prolonged_window)
    prolonged = [n for n in window if any(diary.prolonged(c) for c in n.cramps)]
    severe = [n for n in prolonged if any(diary.prolonged(c) and diary.severe(c) for c in n.cramps)]
    if len(prolonged) < t.prolonged_nights and not severe:
        return None
    longest = max(c.duration_minutes for n in prolonged for c in n.cramps)
    return _finding(
        VISIT,
        "prolonged_cramps",
        prolonged,
        window,
        t.prolonged_window,
        nights=len(prolonged),
        severe_nights=len(severe),
        minutes=longest,
    )


def _severe_frequent(diary, facts):
    t = diary.t
    window = diary.window(t.severe_frequent_window)
    nights = [n for n in window if any(diary.severe(c) for c in n.cramps)]
    if len(nights) < t.severe_frequent_nights:
        return None
    return _finding(
        VISIT, "severe_frequent", nights, window, t.severe_frequent_window, nights=len(nights)
    )


def _persistent_cramps(diary, facts):
    t = diary.t
    window = diary.window(t.persistent_window)
    cramp_nights = [n for n in window if n.cramps]
    bothersome = any(
        c.woke or c.severity >= t.persistent_bother_severity for n in cramp_nights for c in n.cramps
    )
    if len(cramp_nights) < t.persistent_nights or not bothersome:
        return None
    return _finding(
        VISIT,
        "persistent_cramps",
        cramp_nights,
        window,
        t.persistent_window,
        nights=len(cramp_nights),
    )


def _daytime_impairment(diary, facts):
    t = diary.t
    window = diary.window(t.impairment_window)
    nights = [n for n in window if n.cramps and n.daytime_impairment in t.impairment_levels]
    if len(nights) < t.impairment_nights:
        return None
    return _finding(
        VISIT, "daytime_impairment", nights, window, t.impairment_window, nights=len(nights)
    )


def _weakness_atrophy(diary, facts):
    t = diary.t
    window = diary.window(t.weakness_window)
    sign_nights = [n for n in window if n.symptoms & NERVE_OR_MUSCLE_SIGNS]
    cramp_nights = [n for n in diary.window(t.weakness_cramp_window) if n.cramps]
    if not sign_nights or not cramp_nights:
        return None
    signs = sorted(set().union(*(n.symptoms & NERVE_OR_MUSCLE_SIGNS for n in sign_nights)))
    return _finding(
        VISIT,
        "weakness_atrophy",
        sign_nights + cramp_nights[-1:],
        window,
        t.weakness_window,
        signs=signs,
        sign_nights=[_iso(n.night) for n in sign_nights],
        last_cramp_night=_iso(cramp_nights[-1].night),
    )


def _not_typical(diary, facts):
    t = diary.t
    window = diary.window(t.not_typical_window)
    nights = [
        n
        for n in window
        if n.symptoms & NOT_TYPICAL_SIGNS or any(c.muscle == "other" for c in n.cramps)
    ]
    if len(nights) < t.not_typical_nights:
        return None
    return _finding(VISIT, "not_typical", nights, window, t.not_typical_window, nights=len(nights))


def _venous_disease(diary, facts):
    t = diary.t
    if not facts.venous_disease:
        return None
    window = diary.window(t.venous_window)
    cramp_nights = [n for n in window if n.cramps]
    if len(cramp_nights) < t.venous_nights:
        return None
    return _finding(
        VISIT, "venous_disease", cramp_nights, window, t.venous_window, nights=len(cramp_nights)
    )


def _artery_disease(diary, facts):
    t = diary.t
    if not facts.peripheral_artery_disease:
        return None
    window = diary.window(t.artery_window)
    cramp_nights = [n for n in window if n.cramps]
    prolonged = [n for n in cramp_nights if any(diary.prolonged(c) for c in n.cramps)]
    if not prolonged and len(cramp_nights) < t.artery_cramp_nights:
        return None
    return _finding(
        VISIT,
        "artery_disease",
        cramp_nights,
        window,
        t.artery_window,
        nights=len(cramp_nights),
        prolonged_nights=len(prolonged),
    )


def _medication_review(diary, facts):
    t = diary.t
    if not facts.medications:
        return None
    window = diary.window(t.medication_window)
    cramp_nights = [n for n in window if n.cramps]
    if len(cramp_nights) < t.medication_nights:
        return None
    return _finding(
        VISIT,
        "medication_review",
        cramp_nights,
        window,
        t.medication_window,
        nights=len(cramp_nights),
        medications=sorted(facts.medications),
    )


def quinine_due(treatment: TreatmentRecord, today: date, t: Thresholds) -> bool:
    """Whether quinine taken now has had its first weeks (28 nights): the review is due."""
    return (
        treatment.kind == "quinine"
        and treatment.start <= today - timedelta(days=t.quinine_review_after)
        and (treatment.stop is None or treatment.stop >= today)
    )


def _quinine_review(diary, facts):
    """Quinine still taken after its first 4 weeks while cramps go on without a response (MHRA:
    stop it after 4 weeks without benefit). Too few nights logged, or no cramps before, is no
    response shown; no cramp at all in weeks 1-4 is nothing to review."""
    due = [t for t in facts.treatments if quinine_due(t, diary.today, diary.t)]
    if not due:
        return None
    last_night = diary.today - timedelta(days=1)
    treatment = max(due, key=lambda t: t.start)  # the course now taken
    first = verdicts.treatment_result(treatment, diary.by_date.values(), last_night).first_weeks
    if first.verdict == verdicts.RESPONSE or not first.after.cramps:
        return None
    windows = (first.before, first.after)
    evidence = [
        night
        for night in diary.by_date.values()
        if any(w.first <= night.night <= w.last for w in windows)
    ]
    return Finding(
        VISIT,
        "quinine_review",
        _dates(evidence),
        {
            "name": treatment.name,
            "started": _iso(treatment.start),
            "verdict": first.verdict,
            "before": first.before.per_week,
            "after": first.after.per_week,
            "change": first.change_percent,
            "logged_before": first.before.logged,
            "logged": first.after.logged,
            "window": diary.t.quinine_review_after,
        },
    )


# In DESIGN's order: the order findings of one level are shown in.
RULES = {
    "severe_persistent": (URGENT, _severe_persistent),
    "limb_ischaemia": (URGENT, _limb_ischaemia),
    "dark_urine": (URGENT, _dark_urine),
    "toxin_exposure": (URGENT, _toxin_exposure),
    "clot_signs": (TODAY, _clot_signs),
    "severe_prolonged": (TODAY, _severe_prolonged),
    "pregnancy_one_sided": (TODAY, _pregnancy_one_sided),
    "pad_rest_pain": (TODAY, _pad_rest_pain),
    "prolonged_cramps": (VISIT, _prolonged_cramps),
    "severe_frequent": (VISIT, _severe_frequent),
    "persistent_cramps": (VISIT, _persistent_cramps),
    "daytime_impairment": (VISIT, _daytime_impairment),
    "weakness_atrophy": (VISIT, _weakness_atrophy),
    "not_typical": (VISIT, _not_typical),
    "venous_disease": (VISIT, _venous_disease),
    "artery_disease": (VISIT, _artery_disease),
    "medication_review": (VISIT, _medication_review),
    "quinine_review": (VISIT, _quinine_review),
}
RULE_IDS = tuple(RULES)


def level_of(rule: str) -> str:
    return RULES[rule][0]


def lookback_nights(t: Thresholds) -> int:
    """How many nights before today the rules read: load at least these."""
    return max(
        t.cramp_wont_stop_window,
        t.leg_cold_pale_window,
        t.dark_urine_window,
        t.toxin_window + t.toxin_days_after,
        t.leg_swollen_window,
        t.severe_prolonged_window,
        t.pregnancy_window,
        t.pad_rest_pain_window,
        t.prolonged_window,
        t.severe_frequent_window,
        t.persistent_window,
        t.impairment_window,
        t.weakness_window,
        t.weakness_cramp_window,
        t.not_typical_window,
        t.venous_window,
        t.artery_window,
        t.medication_window,
    )


def evaluate(
    facts: HealthFacts, nights: Iterable[NightRecord], today: date, thresholds: Thresholds
) -> list[Finding]:
    """The findings for `today`, most pressing level first, each rule at most once."""
    diary = _Diary(nights, today, thresholds)
    fired = [finding for _level, rule in RULES.values() if (finding := rule(diary, facts))]
    return sorted(fired, key=lambda f: (LEVELS.index(f.level), RULE_IDS.index(f.rule)))
