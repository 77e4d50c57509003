"""The "Schedule an office visit" rules, each with its words."""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from diary.domain.rules.base import (
    VISIT,
    WITHIN_TWO_WEEKS,
    Diary,
    HealthFacts,
    Rule,
    Words,
    finding,
    iso,
)
from diary.domain.rules.urgent import CKS
from diary.domain.rules.words import day, medicines, minutes, word_list


def _count(f: dict) -> dict:
    return {"count": f["nights"]}


def _prolonged_cramps(diary: Diary, facts: HealthFacts):
    t = diary.t
    window = diary.window(t.prolonged_window)
    prolonged = [n for n in window if any(diary.prolonged(c) for c in n.cramps)]
    severe = [n for n in prolonged if any(diary.prolonged(c) and diary.severe(c) for c in n.cramps)]
    pregnant = facts.pregnant_on(diary.today, t.pregnancy_days_after_date)
    one_sided = [n for n in prolonged if diary.one_sided_prolonged(n)] if pregnant else []
    if len(prolonged) < t.prolonged_nights and not severe and not one_sided:
        return None
    longest = max(c.duration_minutes for n in prolonged for c in n.cramps)
    return finding(
        VISIT,
        "prolonged_cramps",
        prolonged,
        window,
        t.prolonged_window,
        nights=len(prolonged),
        severe_nights=len(severe),
        minutes=longest,
    )


PROLONGED_CRAMPS = Rule(
    id="prolonged_cramps",
    level=VISIT,
    window="prolonged_window",
    defaults={"prolonged_window": 14, "prolonged_nights": 2},
    reads=frozenset({"pregnant", "pregnancy_date"}),
    test=_prolonged_cramps,
    sources=(CKS, "Hallegraeff et al. 2017"),
    words=Words(
        title=gettext_lazy("Cramps lasting 10 minutes or more"),
        patient=lambda f: (
            ngettext(
                "A cramp lasting 10 minutes or more on %(count)d of the last 14 nights "
                "(the longest "
                "%(minutes)s minutes). Cramps usually last a few minutes at most.",
                "Cramps lasting 10 minutes or more on %(count)d of the last 14 nights (the longest "
                "%(minutes)s minutes). Cramps usually last a few minutes at most.",
                f["nights"],
            )
            % {"count": f["nights"], "minutes": minutes(f["minutes"])}
        ),
        clinician=lambda f: (
            _(
                "Cramps of 10 minutes or more on %(count)d of the last 14 nights (%(severe)d with "
                "severity 8 or more; longest %(minutes)s minutes)."
            )
            % {"count": f["nights"], "severe": f["severe_nights"], "minutes": minutes(f["minutes"])}
        ),
    ),
)


def _severe_frequent(diary: Diary, facts: HealthFacts):
    t = diary.t

    def counts(cramp) -> bool:
        return diary.severe(cramp) and (
            cramp.duration_minutes >= t.severe_frequent_minutes or cramp.relief != "full"
        )

    window = diary.window(t.severe_frequent_window)
    nights = [n for n in window if any(counts(c) for c in n.cramps)]
    if len(nights) < t.severe_frequent_nights:
        return None
    return finding(
        VISIT, "severe_frequent", nights, window, t.severe_frequent_window, nights=len(nights)
    )


SEVERE_FREQUENT = Rule(
    id="severe_frequent",
    level=VISIT,
    window="severe_frequent_window",
    defaults={
        "severe_frequent_window": 14,
        "severe_frequent_nights": 3,
        "severe_frequent_minutes": 2,
    },
    test=_severe_frequent,
    sources=(CKS,),
    words=Words(
        title=gettext_lazy("Frequent severe cramps"),
        patient=lambda f: (
            _(
                "Cramps of 8/10 or worse that lasted 2 minutes or more or did not fully ease, on "
                "%(count)d of the last 14 nights."
            )
            % _count(f)
        ),
        clinician=lambda f: (
            _(
                "Cramps of severity 8 or more (2 minutes or more, or not fully relieved) on "
                "%(count)d of the last 14 nights."
            )
            % _count(f)
        ),
    ),
)


def _persistent_cramps(diary: Diary, facts: HealthFacts):
    t = diary.t
    window = diary.window(t.persistent_window)
    cramp_nights = [n for n in window if n.cramps]
    bothersome = any(
        c.woke or c.severity >= t.persistent_bother_severity for n in cramp_nights for c in n.cramps
    )
    if len(cramp_nights) < t.persistent_nights or not bothersome:
        return None
    return finding(
        VISIT,
        "persistent_cramps",
        cramp_nights,
        window,
        t.persistent_window,
        nights=len(cramp_nights),
    )


PERSISTENT_CRAMPS = Rule(
    id="persistent_cramps",
    level=VISIT,
    window="persistent_window",
    defaults={"persistent_window": 14, "persistent_nights": 6, "persistent_bother_severity": 4},
    test=_persistent_cramps,
    sources=(CKS,),
    words=Words(
        title=gettext_lazy("Painful cramps that keep coming"),
        patient=lambda f: (
            _(
                "Cramps on %(count)d of the last 14 nights, painful or waking you: "
                "cramps that keep "
                "coming are worth talking about."
            )
            % _count(f)
        ),
        clinician=lambda f: (
            _("Cramps on %(count)d of the last 14 nights, painful (4/10 or more) or waking.")
            % _count(f)
        ),
    ),
)


def _daytime_impairment(diary: Diary, facts: HealthFacts):
    t = diary.t
    window = diary.window(t.impairment_window)
    nights = [
        n
        for n in window
        if n.daytime_impairment in t.impairment_levels
        and (n.cramps or diary.follows_cramp_night(n))
    ]
    if len(nights) < t.impairment_nights:
        return None
    cramp_nights = [diary.by_date[n.night - timedelta(days=1)] for n in nights if not n.cramps]
    return finding(
        VISIT,
        "daytime_impairment",
        nights + cramp_nights,
        window,
        t.impairment_window,
        nights=len(nights),
    )


DAYTIME_IMPAIRMENT = Rule(
    id="daytime_impairment",
    level=VISIT,
    window="impairment_window",
    defaults={
        "impairment_window": 14,
        "impairment_nights": 2,
        "impairment_levels": ("moderate", "severe"),
    },
    lookback=lambda t: t.impairment_window + 1,  # the night before may lie outside the window
    test=_daytime_impairment,
    sources=(CKS,),
    words=Words(
        title=gettext_lazy("Broken sleep that makes the day hard"),
        patient=lambda f: (
            _(
                "On %(count)d of the last 14 nights cramps broke your sleep and the day after was "
                "hard to get through."
            )
            % _count(f)
        ),
        clinician=lambda f: (
            _(
                "Moderate or severe daytime impairment on %(count)d days of the last "
                "14, each after "
                "a cramp night."
            )
            % _count(f)
        ),
    ),
)

WEAKNESS_SIGNS = frozenset({"muscle_weakness", "muscle_atrophy"})

# The signs a rule names in its reason, in a sentence ("You noted twitching on…").
SIGNS_IN_A_SENTENCE = {
    "muscle_weakness": pgettext_lazy("in a sentence", "muscle weakness"),
    "muscle_atrophy": pgettext_lazy("in a sentence", "muscle wasting"),
    "twitching": pgettext_lazy("in a sentence", "twitching (small jumps of a muscle)"),
    "daytime_cramps": pgettext_lazy("in a sentence", "cramps by day"),
    "cramps_elsewhere": pgettext_lazy("in a sentence", "cramps in other muscles"),
    "numbness_tingling": pgettext_lazy("in a sentence", "numbness or tingling"),
    "urge_to_move": pgettext_lazy("in a sentence", "an urge to move your legs"),
    "pain_on_walking": pgettext_lazy("in a sentence", "pain on walking"),
    "other_muscle": pgettext_lazy("in a sentence", "cramps in a muscle marked “other”"),
}


def _signs(values: list[str]) -> str:
    return word_list([str(SIGNS_IN_A_SENTENCE.get(value, value)) for value in values])


def _weakness_atrophy(diary: Diary, facts: HealthFacts):
    t = diary.t
    window = diary.window(t.weakness_window)
    weakness = [n for n in window if n.symptoms & WEAKNESS_SIGNS]
    twitching = [n for n in window if "twitching" in n.symptoms]
    if len(twitching) < t.weakness_twitching_nights:
        twitching = []
    sign_nights = sorted({*weakness, *twitching}, key=lambda n: n.night)
    cramp_nights = [n for n in diary.window(t.weakness_cramp_window) if n.cramps]
    if not sign_nights or not cramp_nights:
        return None
    signs = sorted(set().union(*(n.symptoms & WEAKNESS_SIGNS for n in weakness)))
    signs += ["twitching"] if twitching else []
    return finding(
        VISIT,
        "weakness_atrophy",
        sign_nights + cramp_nights[-1:],
        window,
        t.weakness_window,
        signs=signs,
        sign_nights=[iso(n.night) for n in sign_nights],
        last_cramp_night=iso(cramp_nights[-1].night),
    )


def _weakness_values(f: dict) -> dict:
    return {
        "signs": _signs(f["signs"]),
        "nights": word_list([day(night) for night in f["sign_nights"]]),
        "cramp": day(f["last_cramp_night"]),
    }


WEAKNESS_ATROPHY = Rule(
    id="weakness_atrophy",
    level=VISIT,
    window="weakness_window",
    defaults={"weakness_window": 30, "weakness_cramp_window": 90, "weakness_twitching_nights": 2},
    lookback=lambda t: max(t.weakness_window, t.weakness_cramp_window),
    test=_weakness_atrophy,
    sources=(CKS,),
    words=Words(
        title=gettext_lazy("Weakness, wasting or twitching with cramps"),
        patient=lambda f: (
            _(
                "You noted %(signs)s on %(nights)s, and your last cramp night was %(cramp)s. With "
                "cramps, these can point to a nerve or muscle problem worth checking."
            )
            % _weakness_values(f)
        ),
        clinician=lambda f: (
            _("Noted %(signs)s on %(nights)s; last cramp night %(cramp)s.") % _weakness_values(f)
        ),
        time_frame=WITHIN_TWO_WEEKS,
    ),
)

NOT_TYPICAL_SIGNS = frozenset(
    {"daytime_cramps", "cramps_elsewhere", "numbness_tingling", "urge_to_move", "pain_on_walking"}
)


def _not_typical(diary: Diary, facts: HealthFacts):
    t = diary.t
    window = diary.window(t.not_typical_window)

    def signs(n) -> set[str]:
        other = {"other_muscle"} if any(c.muscle == "other" for c in n.cramps) else set()
        return (n.symptoms & NOT_TYPICAL_SIGNS) | other

    nights = [n for n in window if signs(n)]
    if len(nights) < t.not_typical_nights:
        return None
    noted = sorted(set().union(*(signs(n) for n in nights)))
    return finding(
        VISIT, "not_typical", nights, window, t.not_typical_window, nights=len(nights), signs=noted
    )


NOT_TYPICAL = Rule(
    id="not_typical",
    level=VISIT,
    window="not_typical_window",
    defaults={"not_typical_window": 30, "not_typical_nights": 2},
    test=_not_typical,
    sources=(CKS,),
    words=Words(
        title=gettext_lazy("Cramps by day, elsewhere, or with other leg symptoms"),
        patient=lambda f: (
            _(
                "On %(count)d of the last 30 nights you noted %(signs)s. Typical night cramps are "
                "in the calf or foot, at night, with nothing else: these point to something worth "
                "checking."
            )
            % {"count": f["nights"], "signs": _signs(f.get("signs", ["daytime_cramps"]))}
        ),
        clinician=lambda f: (
            _("Noted %(signs)s on %(count)d of the last 30 nights.")
            % {"count": f["nights"], "signs": _signs(f.get("signs", ["daytime_cramps"]))}
        ),
        time_frame=WITHIN_TWO_WEEKS,
    ),
)


def _cramp_nights_rule(rule: str, fact: str, window_key: str, nights_key: str, bother_key=""):
    def rule_fires(diary: Diary, facts: HealthFacts):
        t = diary.t
        if not getattr(facts, fact):
            return None
        window = diary.window(getattr(t, window_key))
        cramp_nights = [n for n in window if n.cramps]
        if bother_key:
            bother = getattr(t, bother_key)
            cramp_nights = [
                n for n in cramp_nights if any(c.woke or c.severity >= bother for c in n.cramps)
            ]
        if len(cramp_nights) < getattr(t, nights_key):
            return None
        figures = {"nights": len(cramp_nights)}
        if fact == "medications":
            figures["medications"] = sorted(facts.medications)
        return finding(VISIT, rule, cramp_nights, window, getattr(t, window_key), **figures)

    return rule_fires


VENOUS_DISEASE = Rule(
    id="venous_disease",
    level=VISIT,
    window="venous_window",
    defaults={"venous_window": 30, "venous_nights": 2, "venous_bother_severity": 4},
    reads=frozenset({"venous_disease"}),
    test=_cramp_nights_rule(
        "venous_disease",
        "venous_disease",
        "venous_window",
        "venous_nights",
        "venous_bother_severity",
    ),
    sources=(CKS,),
    words=Words(
        title=gettext_lazy("Cramps with venous disease or varicose veins"),
        patient=lambda f: (
            _(
                "Your profile records venous disease or varicose veins, and you had painful or "
                "waking cramps on %(count)d of the last 30 nights: treating the veins sometimes "
                "ends the cramps."
            )
            % _count(f)
        ),
        clinician=lambda f: (
            _(
                "Venous disease or varicose veins; cramps of 4/10 or more or waking on %(count)d "
                "of the last 30 nights."
            )
            % _count(f)
        ),
    ),
)


def _artery_disease(diary: Diary, facts: HealthFacts):
    t = diary.t
    if not facts.peripheral_artery_disease:
        return None
    window = diary.window(t.artery_window)
    cramp_nights = [n for n in window if n.cramps]
    prolonged = [n for n in cramp_nights if any(diary.prolonged(c) for c in n.cramps)]
    if not prolonged and len(cramp_nights) < t.artery_cramp_nights:
        return None
    return finding(
        VISIT,
        "artery_disease",
        cramp_nights,
        window,
        t.artery_window,
        nights=len(cramp_nights),
        prolonged_nights=len(prolonged),
    )


ARTERY_DISEASE = Rule(
    id="artery_disease",
    level=VISIT,
    window="artery_window",
    defaults={"artery_window": 14, "artery_cramp_nights": 3},
    reads=frozenset({"peripheral_artery_disease"}),
    test=_artery_disease,
    sources=(CKS, "NICE CG147 Peripheral arterial disease"),
    words=Words(
        title=gettext_lazy("Cramps with peripheral artery disease"),
        patient=lambda f: (
            _(
                "Your profile records peripheral artery disease, and you had cramps on "
                "%(count)d of "
                "the last 14 nights. Tell your doctor, who may want to check your circulation."
            )
            % _count(f)
        ),
        clinician=lambda f: (
            _(
                "Peripheral artery disease; cramps on %(count)d of the last 14 nights "
                "(%(prolonged)d with a cramp of 10 minutes or more)."
            )
            % {"count": f["nights"], "prolonged": f["prolonged_nights"]}
        ),
        time_frame=WITHIN_TWO_WEEKS,
    ),
)

MEDICATION_REVIEW = Rule(
    id="medication_review",
    level=VISIT,
    window="medication_window",
    defaults={"medication_window": 14, "medication_nights": 3},
    reads=frozenset({"medications"}),
    test=_cramp_nights_rule(
        "medication_review", "medications", "medication_window", "medication_nights"
    ),
    sources=(CKS,),
    words=Words(
        title=gettext_lazy("Cramps with a medicine that can cause them"),
        patient=lambda f: (
            _(
                "You take %(medicines)s, which can cause cramps, and had cramps on "
                "%(count)d of the "
                "last 14 nights. Ask your doctor to review your medicines; don't stop a prescribed "
                "medicine on your own."
            )
            % {"medicines": medicines(f["medications"]), "count": f["nights"]}
        ),
        clinician=lambda f: (
            _("Takes %(medicines)s; cramps on %(count)d of the last 14 nights.")
            % {"medicines": medicines(f["medications"]), "count": f["nights"]}
        ),
    ),
)


RULES = (
    PROLONGED_CRAMPS,
    SEVERE_FREQUENT,
    PERSISTENT_CRAMPS,
    DAYTIME_IMPAIRMENT,
    WEAKNESS_ATROPHY,
    NOT_TYPICAL,
    VENOUS_DISEASE,
    ARTERY_DISEASE,
    MEDICATION_REVIEW,
)
