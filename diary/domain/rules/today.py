"""The "Contact a doctor today" rules, each with its words (the older toxin exposure is with
the toxin rule, in diary.domain.rules.urgent)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from diary.domain.records import PREGNANCY_COUNTS_DAYS
from diary.domain.rules.base import (
    HELPED_LITTLE,
    TODAY,
    Action,
    Diary,
    HealthFacts,
    Rule,
    Words,
    finding,
    iso,
)
from diary.domain.rules.urgent import CKS, _red_flag
from diary.domain.rules.words import day, medicines, minutes

SHORT_OF_BREATH = gettext_lazy(
    "If you are also short of breath or have chest pain, call %(number)s now."
)
MIDWIFE_FIRST = Action(
    present=gettext_lazy(
        "Call your midwife or maternity unit today, or your doctor's practice (an urgent-care "
        "or advice line if it is closed)."
    ),
    past=gettext_lazy("call your midwife or maternity unit, or your doctor's practice"),
)
PRACTICE_TODAY = Action(
    present=gettext_lazy(
        "Call your doctor's practice today, or an urgent-care or advice line if it is closed."
    ),
    past=gettext_lazy("call your doctor's practice, or an urgent-care or advice line"),
)


def _night(f: dict) -> dict:
    return {"night": day(f["night"])}


CLOT_SIGNS = Rule(
    id="clot_signs",
    level=TODAY,
    window="leg_swollen_window",
    defaults={"leg_swollen_window": 3},
    test=_red_flag("leg_swollen", "clot_signs", "leg_swollen_window", TODAY),
    sources=("NICE NG158 Venous thromboembolic diseases",),
    words=Words(
        title=gettext_lazy("A swollen, red or warm calf"),
        patient=lambda f: (
            _(
                "On the night of %(night)s you noted a calf or leg that is swollen, red, warm or "
                "tender. This can be a sign of a blood clot, which needs checking today."
            )
            % _night(f)
        ),
        clinician=lambda f: (
            _("Reported a swollen, red, warm or tender calf or leg on the night of %(night)s.")
            % _night(f)
        ),
        past=lambda f: (
            _("On the night of %(night)s you reported a swollen, red, warm or tender calf or leg.")
            % _night(f)
        ),
        action=Action(PRACTICE_TODAY.present, PRACTICE_TODAY.past, SHORT_OF_BREATH),
    ),
)


def _severe_prolonged(diary: Diary, facts: HealthFacts):
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
    return finding(
        TODAY,
        "severe_prolonged",
        [pair[0] for pair in found],
        window,
        size,
        night=iso(night.night),
        severity=cramp.severity,
        minutes=cramp.duration_minutes,
        relief=cramp.relief,
    )


def _severe_prolonged_values(f: dict) -> dict:
    return {"severity": f["severity"], "minutes": minutes(f["minutes"]), "night": day(f["night"])}


SEVERE_PROLONGED = Rule(
    id="severe_prolonged",
    level=TODAY,
    window="severe_prolonged_window",
    defaults={"severe_prolonged_window": 3},
    test=_severe_prolonged,
    can_pass=True,
    sources=(CKS, "Hallegraeff et al. 2017"),
    words=Words(
        title=gettext_lazy("A severe, long cramp that did not ease"),
        patient=lambda f: (
            _(
                "On the night of %(night)s a cramp of %(severity)d/10 lasted %(minutes)s minutes "
                "and did not ease with what you tried. Cramps rarely last that long."
            )
            % _severe_prolonged_values(f)
        ),
        clinician=lambda f: (
            _(
                "A cramp of %(severity)d/10 lasting %(minutes)s minutes with "
                "%(relief)s on the night "
                "of %(night)s."
            )
            % {
                **_severe_prolonged_values(f),
                "relief": _("no relief") if f["relief"] == "none" else _("only some relief"),
            }
        ),
        past=lambda f: (
            _(
                "On the night of %(night)s you had a cramp of %(severity)d/10 lasting %(minutes)s "
                "minutes that did not ease."
            )
            % _severe_prolonged_values(f)
        ),
    ),
)


def _pregnancy_one_sided(diary: Diary, facts: HealthFacts):
    t = diary.t
    if not facts.pregnant_on(diary.today, t.pregnancy_days_after_date):
        return None
    window = diary.window(t.pregnancy_window)
    nights = [night for night in window if diary.one_sided_prolonged(night)]
    cramps = [cramp for night in nights for cramp in diary.one_sided_prolonged(night)]
    not_eased = [cramp for cramp in cramps if cramp.relief != "full"]
    if not not_eased and len(nights) < t.pregnancy_nights:
        return None
    return finding(
        TODAY,
        "pregnancy_one_sided",
        nights,
        window,
        t.pregnancy_window,
        nights=len(nights),
        minutes=max(cramp.duration_minutes for cramp in cramps),
        after_birth=facts.gave_birth_by(diary.today),
    )


def _pregnancy_values(f: dict) -> dict:
    return {"count": f["nights"], "minutes": minutes(f["minutes"])}


def _pregnancy_patient(f: dict) -> str:
    if f.get("after_birth"):
        return ngettext(
            "Since you gave birth you had a cramp in one leg lasting 10 minutes or more on "
            "%(count)d of the last 7 nights (the longest %(minutes)s minutes). In the weeks "
            "after a birth, pain in one leg needs checking for a blood clot.",
            "Since you gave birth you had cramps in one leg lasting 10 minutes or more on "
            "%(count)d of the last 7 nights (the longest %(minutes)s minutes). In the weeks "
            "after a birth, pain in one leg needs checking for a blood clot.",
            f["nights"],
        ) % _pregnancy_values(f)
    return ngettext(
        "While pregnant you had a cramp in one leg lasting 10 minutes or more on %(count)d "
        "of the last 7 nights (the longest %(minutes)s minutes). In pregnancy, pain in one "
        "leg needs checking for a blood clot.",
        "While pregnant you had cramps in one leg lasting 10 minutes or more on %(count)d "
        "of the last 7 nights (the longest %(minutes)s minutes). In pregnancy, pain in one "
        "leg needs checking for a blood clot.",
        f["nights"],
    ) % _pregnancy_values(f)


def _pregnancy_past(f: dict) -> str:
    if f.get("after_birth"):
        return _(
            "You reported long cramps in one leg since you gave birth (the longest %(minutes)s "
            "minutes)."
        ) % _pregnancy_values(f)
    return _(
        "You reported long cramps in one leg while pregnant (the longest %(minutes)s minutes)."
    ) % _pregnancy_values(f)


PREGNANCY_ONE_SIDED = Rule(
    id="pregnancy_one_sided",
    level=TODAY,
    window="pregnancy_window",
    defaults={
        "pregnancy_window": 7,
        "pregnancy_nights": 2,
        "pregnancy_days_after_date": PREGNANCY_COUNTS_DAYS,
    },
    reads=frozenset({"pregnant", "pregnancy_date"}),
    test=_pregnancy_one_sided,
    sources=(
        "NICE NG158 Venous thromboembolic diseases",
        "Kamel et al. NEJM 2014: clot risk after a birth stays raised for about 12 weeks",
    ),
    words=Words(
        title=gettext_lazy("Long one-sided cramps in pregnancy or after a birth"),
        patient=_pregnancy_patient,
        clinician=lambda f: (
            _(
                "Pregnant or gave birth in the last 12 weeks; one-sided cramps of 10 minutes or "
                "more on %(count)d of the last 7 nights (longest %(minutes)s minutes)."
            )
            % _pregnancy_values(f)
        ),
        past=_pregnancy_past,
        action=Action(MIDWIFE_FIRST.present, MIDWIFE_FIRST.past, SHORT_OF_BREATH),
    ),
)


def _one_sided_nights(diary: Diary, size: int, needed: int):
    window = diary.window(size)
    nights = [night for night in window if diary.one_sided_prolonged(night)]
    return (window, nights) if len(nights) >= needed else (window, None)


def _pad_rest_pain(diary: Diary, facts: HealthFacts):
    t = diary.t
    if not facts.peripheral_artery_disease:
        return None
    window, nights = _one_sided_nights(diary, t.pad_rest_pain_window, t.pad_rest_pain_nights)
    if nights is None:
        return None
    return finding(
        TODAY, "pad_rest_pain", nights, window, t.pad_rest_pain_window, nights=len(nights)
    )


def _window_values(f: dict) -> dict:
    return {"count": f["nights"], "window": f["window"]}


PAD_REST_PAIN = Rule(
    id="pad_rest_pain",
    level=TODAY,
    window="pad_rest_pain_window",
    defaults={"pad_rest_pain_window": 14, "pad_rest_pain_nights": 3},
    reads=frozenset({"peripheral_artery_disease"}),
    test=_pad_rest_pain,
    sources=("Global Vascular Guidelines on chronic limb-threatening ischaemia (rest pain)",),
    words=Words(
        title=gettext_lazy("Long one-sided cramps with artery disease"),
        patient=lambda f: (
            _(
                "Your profile records peripheral artery disease, and you had cramps in one leg "
                "lasting 10 minutes or more on %(count)d of the last %(window)d nights. Pain at "
                "rest can mean the artery disease is getting worse."
            )
            % _window_values(f)
        ),
        clinician=lambda f: (
            _(
                "Peripheral artery disease; one-sided cramps of 10 minutes or more on %(count)d of "
                "the last %(window)d nights."
            )
            % _window_values(f)
        ),
        past=lambda f: _(
            "You reported long cramps in one leg on several nights, with peripheral artery disease."
        ),
    ),
)


def _young_one_sided_pain(diary: Diary, facts: HealthFacts):
    t = diary.t
    age = facts.age_on(diary.today)
    if age is None or age >= t.young_age:
        return None
    window, nights = _one_sided_nights(diary, t.young_window, t.young_nights)
    if nights is None:
        return None
    return finding(
        TODAY, "young_one_sided_pain", nights, window, t.young_window, nights=len(nights), age=age
    )


YOUNG_ONE_SIDED_PAIN = Rule(
    id="young_one_sided_pain",
    level=TODAY,
    window="young_window",
    defaults={"young_window": 14, "young_nights": 3, "young_age": 18},
    reads=frozenset({"date_of_birth"}),
    test=_young_one_sided_pain,
    sources=("NICE NG12 Suspected cancer: unexplained bone pain in a child or young person",),
    words=Words(
        title=gettext_lazy("Long pain in one leg in a young person"),
        patient=lambda f: (
            _(
                "You had long cramps or pain in one leg on %(count)d of the last "
                "%(window)d nights. "
                "In a child or young person, night pain in one leg that keeps coming back needs a "
                "doctor to look at it within 2 days."
            )
            % _window_values(f)
        ),
        clinician=lambda f: (
            _(
                "Aged %(age)d; one-sided cramps of 10 minutes or more on %(count)d of the last "
                "%(window)d nights (NICE NG12: assess within 48 hours)."
            )
            % {**_window_values(f), "age": f["age"]}
        ),
        past=lambda f: _("You reported long pain in one leg on several nights."),
        action=Action(
            present=gettext_lazy(
                "See a doctor within 2 days: call your doctor's practice today to arrange it."
            ),
            past=gettext_lazy("call your doctor's practice to see a doctor within 2 days"),
        ),
    ),
)


def _electrolyte_risk(diary: Diary, facts: HealthFacts):
    t = diary.t
    if "diuretic" not in facts.medications and not facts.kidney_disease:
        return None
    weak = [
        n for n in diary.window(t.electrolyte_weakness_window) if "muscle_weakness" in n.symptoms
    ]
    cramp_nights = [n for n in diary.window(t.electrolyte_cramp_window) if n.cramps]
    if not weak or not cramp_nights:
        return None
    causes = (["diuretic"] if "diuretic" in facts.medications else []) + (
        ["kidney_disease"] if facts.kidney_disease else []
    )
    return finding(
        TODAY,
        "electrolyte_risk",
        weak + cramp_nights,
        diary.window(t.electrolyte_cramp_window),
        t.electrolyte_cramp_window,
        night=iso(weak[-1].night),
        cramp_nights=len(cramp_nights),
        causes=causes,
    )


def _electrolyte_cause(f: dict) -> str:
    causes = f["causes"]
    if causes == ["kidney_disease"]:
        return _("kidney disease")
    if "kidney_disease" in causes:
        return _("kidney disease and %(medicines)s") % {"medicines": medicines(["diuretic"])}
    return medicines(["diuretic"])


ELECTROLYTE_RISK = Rule(
    id="electrolyte_risk",
    level=TODAY,
    window="electrolyte_cramp_window",
    defaults={"electrolyte_weakness_window": 3, "electrolyte_cramp_window": 7},
    reads=frozenset({"medications", "kidney_disease"}),
    test=_electrolyte_risk,
    sources=(CKS,),
    words=Words(
        title=gettext_lazy("Cramps and weakness with water tablets or kidney disease"),
        patient=lambda f: (
            _(
                "On the night of %(night)s you noted muscle weakness, with cramps in the last 7 "
                "nights, and your profile records %(cause)s. This can mean your potassium or "
                "sodium is too low, which a blood test shows."
            )
            % {"night": day(f["night"]), "cause": _electrolyte_cause(f)}
        ),
        clinician=lambda f: (
            _(
                "Muscle weakness on the night of %(night)s and cramps on %(count)d of the last 7 "
                "nights, with %(cause)s: check electrolytes."
            )
            % {"night": day(f["night"]), "count": f["cramp_nights"], "cause": _electrolyte_cause(f)}
        ),
        past=lambda f: (
            _(
                "On the night of %(night)s you reported muscle weakness with cramps, and your "
                "profile records %(cause)s."
            )
            % {"night": day(f["night"]), "cause": _electrolyte_cause(f)}
        ),
        action=Action(
            present=gettext_lazy("Call your doctor's practice today and ask for a blood test."),
            past=gettext_lazy("call your doctor's practice and ask for a blood test"),
        ),
    ),
)


RULES = (
    CLOT_SIGNS,
    SEVERE_PROLONGED,
    PREGNANCY_ONE_SIDED,
    PAD_REST_PAIN,
    YOUNG_ONE_SIDED_PAIN,
    ELECTROLYTE_RISK,
)
