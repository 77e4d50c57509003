"""The urgent rules, "Seek immediate medical care", each with its words, and the older toxin
exposure ("Contact a doctor today") that shares the toxin rule's pattern."""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from diary.domain.rules.base import (
    TODAY,
    URGENT,
    Action,
    Diary,
    HealthFacts,
    Rule,
    Words,
    finding,
    iso,
)
from diary.domain.rules.words import day

CKS = "NICE CKS Leg cramps"


def _red_flag(flag: str, rule: str, window_key: str, level: str = URGENT):
    def rule_fires(diary: Diary, facts: HealthFacts):
        size = getattr(diary.t, window_key)
        window = diary.window(size)
        flagged = [night for night in window if flag in night.red_flags]
        if not flagged:
            return None
        return finding(level, rule, flagged, window, size, night=iso(flagged[-1].night))

    return rule_fires


def _night(f: dict) -> dict:
    return {"night": day(f["night"])}


SEVERE_PERSISTENT = Rule(
    id="severe_persistent",
    level=URGENT,
    window="cramp_wont_stop_window",
    defaults={"cramp_wont_stop_window": 2},
    test=_red_flag("cramp_wont_stop", "severe_persistent", "cramp_wont_stop_window"),
    can_pass=True,
    sources=(CKS, "Mayo Clinic: Night leg cramps, when to see a doctor"),
    words=Words(
        title=gettext_lazy("A severe cramp that won't stop"),
        patient=lambda f: (
            _("On the night of %(night)s you noted a severe cramp that would not stop.") % _night(f)
        ),
        clinician=lambda f: (
            _("Reported a severe cramp that would not stop on the night of %(night)s.") % _night(f)
        ),
        past=lambda f: (
            _("On the night of %(night)s you reported a severe cramp that would not stop.")
            % _night(f)
        ),
    ),
)

LIMB_ISCHAEMIA = Rule(
    id="limb_ischaemia",
    level=URGENT,
    window="leg_cold_pale_window",
    defaults={"leg_cold_pale_window": 2},
    test=_red_flag("leg_cold_pale", "limb_ischaemia", "leg_cold_pale_window"),
    sources=("NICE CG147 Peripheral arterial disease (acute limb ischaemia)",),
    words=Words(
        title=gettext_lazy("A cold, pale or numb leg"),
        patient=lambda f: (
            _(
                "On the night of %(night)s you noted a leg or foot that had suddenly turned cold, "
                "pale or blue, or numb and weak. This can mean the blood flow to it is blocked."
            )
            % _night(f)
        ),
        clinician=lambda f: (
            _(
                "Reported a leg or foot suddenly cold, pale or blue, or numb and weak, "
                "on the night "
                "of %(night)s."
            )
            % _night(f)
        ),
        past=lambda f: (
            _(
                "On the night of %(night)s you reported a leg or foot that had turned "
                "cold, pale or "
                "blue, or numb and weak."
            )
            % _night(f)
        ),
    ),
)


def _dark_urine(diary: Diary, facts: HealthFacts):
    t = diary.t
    window = diary.window(t.dark_urine_window)
    flagged = [night for night in window if "dark_urine" in night.red_flags]
    if not flagged:
        return None
    muscle = [
        night
        for night in diary.window(t.dark_urine_muscle_window)
        if night.cramps or "muscle_weakness" in night.symptoms
    ]
    if not muscle:
        return None
    return finding(
        URGENT,
        "dark_urine",
        flagged + muscle,
        window,
        t.dark_urine_window,
        night=iso(flagged[-1].night),
    )


DARK_URINE = Rule(
    id="dark_urine",
    level=URGENT,
    window="dark_urine_window",
    defaults={"dark_urine_window": 3, "dark_urine_muscle_window": 7},
    lookback=lambda t: max(t.dark_urine_window, t.dark_urine_muscle_window),
    test=_dark_urine,
    sources=(CKS, "Rhabdomyolysis: urine shows muscle breakdown 1-3 days after the injury"),
    words=Words(
        title=gettext_lazy("Dark urine after cramps or weakness"),
        patient=lambda f: (
            _(
                "On the night of %(night)s you noted dark, tea- or cola-coloured "
                "urine, with cramps "
                "or muscle weakness in the days before. This can be a sign of muscle breakdown, "
                "which needs checking at once."
            )
            % _night(f)
        ),
        clinician=lambda f: (
            _(
                "Reported dark urine on the night of %(night)s, with cramps or muscle weakness in "
                "the 7 nights before."
            )
            % _night(f)
        ),
        past=lambda f: (
            _("On the night of %(night)s you reported dark urine after cramps or muscle weakness.")
            % _night(f)
        ),
    ),
)


TOXIN_SIGNS = frozenset({"muscle_weakness", "twitching"})


def toxin_pairs(diary: Diary) -> list:
    """(exposure night, cramp night) with the cramp night in the last `toxin_window` nights and
    0-`toxin_days_after` days after the exposure (which may lie before that window)."""
    t = diary.t
    cramp_nights = [night for night in diary.window(t.toxin_window) if night.cramps]
    exposures = [
        night for night in diary.window(t.toxin_window + t.toxin_days_after) if night.toxin_exposure
    ]
    return [
        (exposure, cramp_night)
        for exposure in exposures
        for cramp_night in cramp_nights
        if 0 <= (cramp_night.night - exposure.night).days <= t.toxin_days_after
    ]


def _pressing_exposure(diary: Diary, exposure) -> bool:
    """Recent (one of the last `toxin_recent_window` nights), or followed by muscle or nerve
    signs or dark urine on a night from it on."""
    if exposure.night >= diary.today - timedelta(days=diary.t.toxin_recent_window):
        return True
    return any(
        night.symptoms & TOXIN_SIGNS or "dark_urine" in night.red_flags
        for night in diary.from_night(exposure.night)
    )


def _toxin_finding(diary: Diary, pairs: list, level: str, rule: str):
    t = diary.t
    exposure = max((pair[0] for pair in pairs), key=lambda night: night.night)
    followed = {pair[1].night for pair in pairs}
    return finding(
        level,
        rule,
        [pair[0] for pair in pairs] + [pair[1] for pair in pairs],
        diary.window(t.toxin_window),
        t.toxin_window,
        exposed=iso(exposure.night),
        substance=exposure.toxin_substance,
        cramp_nights=len(followed),
        days=t.toxin_days_after,
    )


def _toxin_exposure(diary: Diary, facts: HealthFacts):
    pairs = [pair for pair in toxin_pairs(diary) if _pressing_exposure(diary, pair[0])]
    return _toxin_finding(diary, pairs, URGENT, "toxin_exposure") if pairs else None


def _toxin_exposure_earlier(diary: Diary, facts: HealthFacts):
    pairs = toxin_pairs(diary)
    if not pairs or any(_pressing_exposure(diary, pair[0]) for pair in pairs):
        return None
    return _toxin_finding(diary, pairs, TODAY, "toxin_exposure_earlier")


def _toxin_values(f: dict) -> dict:
    return {
        "count": f["cramp_nights"],
        "days": f["days"],
        "substance": f["substance"] or _("a toxin"),
        "exposed": day(f["exposed"]),
    }


def _toxin_patient(f: dict) -> str:
    return ngettext(
        "Cramps on %(count)d night within %(days)d days after exposure to %(substance)s "
        "on the night of %(exposed)s.",
        "Cramps on %(count)d nights within %(days)d days after exposure to %(substance)s "
        "on the night of %(exposed)s.",
        f["cramp_nights"],
    ) % _toxin_values(f)


def _toxin_clinician(f: dict) -> str:
    return ngettext(
        "Cramps on %(count)d night within %(days)d days of exposure to %(substance)s "
        "(night of %(exposed)s).",
        "Cramps on %(count)d nights within %(days)d days of exposure to %(substance)s "
        "(night of %(exposed)s).",
        f["cramp_nights"],
    ) % _toxin_values(f)


def _toxin_past(f: dict) -> str:
    return _(
        "You reported cramps after exposure to %(substance)s on the night of %(exposed)s."
    ) % _toxin_values(f)


TOXIN_KEYS = {"toxin_window": 14, "toxin_days_after": 14, "toxin_recent_window": 3}
TOXIN_SOURCES = (CKS, "UKHSA Lead: general information and toxicology")

TOXIN_EXPOSURE = Rule(
    id="toxin_exposure",
    level=URGENT,
    window="toxin_window",
    defaults=TOXIN_KEYS,
    lookback=lambda t: t.toxin_window + t.toxin_days_after,
    test=_toxin_exposure,
    sources=TOXIN_SOURCES,
    words=Words(
        title=gettext_lazy("Cramps after exposure to a toxin"),
        patient=_toxin_patient,
        clinician=_toxin_clinician,
        past=_toxin_past,
        action=Action(
            present=gettext_lazy(
                "Call your doctor or a poison information line now, and %(number)s if you "
                "feel very unwell."
            ),
            past=gettext_lazy(
                "call your doctor or a poison information line (and %(number)s if you feel "
                "very unwell)"
            ),
        ),
    ),
)

TOXIN_EXPOSURE_EARLIER = Rule(
    id="toxin_exposure_earlier",
    level=TODAY,
    window="toxin_window",
    defaults={},  # the toxin rule's keys
    lookback=lambda t: t.toxin_window + t.toxin_days_after,
    test=_toxin_exposure_earlier,
    sources=TOXIN_SOURCES,
    words=Words(
        title=gettext_lazy("Cramps after an earlier exposure to a toxin"),
        patient=lambda f: (
            _toxin_patient(f)
            + " "
            + _(
                "An exposure some days ago, with no weakness, twitching or dark urine since, needs "
                "a blood test rather than an ambulance."
            )
        ),
        clinician=lambda f: (
            _toxin_clinician(f)
            + " "
            + _("No muscle or nerve signs or dark urine since; exposure over 3 nights ago.")
        ),
        past=_toxin_past,
        action=Action(
            present=gettext_lazy(
                "Call your doctor's practice today and ask for a blood test (say what you were "
                "exposed to)."
            ),
            past=gettext_lazy(
                "call your doctor's practice and ask for a blood test (say what you were "
                "exposed to)"
            ),
        ),
    ),
)

RULES = (SEVERE_PERSISTENT, LIMB_ISCHAEMIA, DARK_URINE, TOXIN_EXPOSURE, TOXIN_EXPOSURE_EARLIER)
