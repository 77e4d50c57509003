"""The words of a prompt, rendered when shown from its rule and figures (diary.domain.triage).

Each rule has a title and a reason written twice: to the patient in the second person ("you")
and to the clinician in the third ("the patient"). An urgent or today run the patient never
acknowledged stays on show after its rule stops firing, with its reason in the past tense.
Dates in the figures are ISO strings; they are shown as "20 Nov".
"""

from datetime import date

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from diary.domain.vocabulary import Symptom

PATIENT = "patient"
CLINICIAN = "clinician"

TITLES = {
    "severe_persistent": gettext_lazy("A severe cramp that won't stop"),
    "limb_ischaemia": gettext_lazy("A cold, pale or numb leg"),
    "dark_urine": gettext_lazy("Dark urine after cramps"),
    "toxin_exposure": gettext_lazy("Cramps after exposure to a toxin"),
    "clot_signs": gettext_lazy("A swollen, red or warm calf"),
    "severe_prolonged": gettext_lazy("A severe, long cramp that did not ease"),
    "pregnancy_one_sided": gettext_lazy("Long one-sided cramps in pregnancy"),
    "pad_rest_pain": gettext_lazy("Long one-sided cramps with artery disease"),
    "prolonged_cramps": gettext_lazy("Cramps lasting 10 minutes or more"),
    "severe_frequent": gettext_lazy("Frequent severe cramps"),
    "persistent_cramps": gettext_lazy("Painful cramps that keep coming"),
    "daytime_impairment": gettext_lazy("Broken sleep that makes the day hard"),
    "weakness_atrophy": gettext_lazy("Weakness, wasting or twitching with cramps"),
    "not_typical": gettext_lazy("Cramps by day or in other muscles"),
    "venous_disease": gettext_lazy("Cramps with venous disease or varicose veins"),
    "artery_disease": gettext_lazy("Cramps with peripheral artery disease"),
    "medication_review": gettext_lazy("Cramps with a medicine that can cause them"),
    "quinine_review": gettext_lazy("Quinine after 4 weeks without a clear benefit"),
}


# Medicine names inside a sentence ("You take a statin, which…").
MEDICINES_IN_A_SENTENCE = {
    "diuretic": gettext_lazy("water tablets (a diuretic)"),
    "statin": gettext_lazy("a statin"),
    "beta_agonist": gettext_lazy("an asthma or COPD inhaler such as salbutamol"),
    "calcium_channel_blocker": gettext_lazy("a calcium-channel blocker"),
    "raloxifene_or_oestrogen": gettext_lazy("raloxifene or an oestrogen"),
}


def _medicines(values: list[str]) -> str:
    return _list([str(MEDICINES_IN_A_SENTENCE.get(value, value)) for value in values])


def title(rule: str) -> str:
    return str(TITLES.get(rule, rule.replace("_", " ")))


def _day(iso: str) -> str:
    return date_format(date.fromisoformat(iso), "j M")


def _minutes(value) -> str:
    return f"{value:g}"


def _list(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return _("%(items)s and %(last)s") % {"items": ", ".join(words[:-1]), "last": words[-1]}


def _coverage(figures: dict) -> str:
    logged, window = figures.get("logged"), figures.get("window")
    if logged is None or window is None or logged * 2 >= window:
        return ""
    return " " + ngettext(
        "(Only %(logged)d of the last %(nights)d nights logged.)",
        "(Only %(logged)d of the last %(nights)d nights logged.)",
        window,
    ) % {"logged": logged, "nights": window}


def _patient_reason(rule: str, f: dict, past: bool) -> str:
    if rule == "severe_persistent":
        if past:
            return _(
                "On the night of %(night)s you reported a severe cramp that would not stop. "
                "If it is still happening, call now."
            ) % {"night": _day(f["night"])}
        return _("On the night of %(night)s you noted a severe cramp that would not stop.") % {
            "night": _day(f["night"])
        }
    if rule == "limb_ischaemia":
        if past:
            return _(
                "On the night of %(night)s you reported a leg or foot that had turned cold, pale "
                "or blue, or numb and weak. If it is still like that, call now."
            ) % {"night": _day(f["night"])}
        return _(
            "On the night of %(night)s you noted a leg or foot that had suddenly turned cold, "
            "pale or blue, or numb and weak. This can mean the blood flow to it is blocked."
        ) % {"night": _day(f["night"])}
    if rule == "dark_urine":
        if past:
            return _(
                "On the night of %(night)s you reported dark urine after cramps. If your urine is "
                "still dark, call now."
            ) % {"night": _day(f["night"])}
        return _(
            "On the night of %(night)s you noted dark, tea- or cola-coloured urine after cramps. "
            "This can be a sign of muscle breakdown, which needs checking at once."
        ) % {"night": _day(f["night"])}
    if rule == "toxin_exposure":
        values = {
            "count": f["cramp_nights"],
            "days": f["days"],
            "substance": f["substance"] or _("a toxin"),
            "exposed": _day(f["exposed"]),
        }
        if past:
            return (
                _(
                    "You reported cramps after exposure to %(substance)s on the night of "
                    "%(exposed)s. If you still have cramps or feel unwell, call now."
                )
                % values
            )
        return (
            ngettext(
                "Cramps on %(count)d night within %(days)d days after exposure to %(substance)s "
                "on the night of %(exposed)s.",
                "Cramps on %(count)d nights within %(days)d days after exposure to %(substance)s "
                "on the night of %(exposed)s.",
                f["cramp_nights"],
            )
            % values
        )
    if rule == "clot_signs":
        if past:
            return _(
                "On the night of %(night)s you reported a swollen, red, warm or tender calf or "
                "leg. If it is still like that, contact a doctor today."
            ) % {"night": _day(f["night"])}
        return _(
            "On the night of %(night)s you noted a calf or leg that is swollen, red, warm or "
            "tender. This can be a sign of a blood clot, which needs checking today."
        ) % {"night": _day(f["night"])}
    if rule == "severe_prolonged":
        values = {
            "severity": f["severity"],
            "minutes": _minutes(f["minutes"]),
            "night": _day(f["night"]),
        }
        if past:
            return (
                _(
                    "On the night of %(night)s you had a cramp of %(severity)d/10 lasting "
                    "%(minutes)s minutes that did not ease. If cramps like it keep coming, "
                    "contact a doctor today."
                )
                % values
            )
        return (
            _(
                "On the night of %(night)s a cramp of %(severity)d/10 lasted %(minutes)s minutes "
                "and did not ease with what you tried. Cramps rarely last that long."
            )
            % values
        )
    if rule == "pregnancy_one_sided":
        values = {"count": f["nights"], "minutes": _minutes(f["minutes"])}
        if past:
            return (
                _(
                    "You reported long cramps in one leg while pregnant (the longest %(minutes)s "
                    "minutes). If the leg is still painful or swollen, contact a doctor today."
                )
                % values
            )
        return (
            ngettext(
                "While pregnant you had a cramp in one leg lasting 10 minutes or more on %(count)d "
                "of the last 7 nights (the longest %(minutes)s minutes). In pregnancy, pain in one "
                "leg needs checking for a blood clot.",
                "While pregnant you had cramps in one leg lasting 10 minutes or more on %(count)d "
                "of the last 7 nights (the longest %(minutes)s minutes). In pregnancy, pain in one "
                "leg needs checking for a blood clot.",
                f["nights"],
            )
            % values
        )
    if rule == "pad_rest_pain":
        if past:
            return _(
                "You reported long cramps in one leg on several nights, with peripheral artery "
                "disease. If the pain comes back at rest, contact a doctor today."
            )
        return _(
            "Your profile records peripheral artery disease, and you had cramps in one leg "
            "lasting 10 minutes or more on %(count)d of the last 7 nights. Pain at rest can mean "
            "the artery disease is getting worse."
        ) % {"count": f["nights"]}
    if rule == "prolonged_cramps":
        return ngettext(
            "A cramp lasting 10 minutes or more on %(count)d of the last 14 nights (the longest "
            "%(minutes)s minutes). Cramps usually last a few minutes at most.",
            "Cramps lasting 10 minutes or more on %(count)d of the last 14 nights (the longest "
            "%(minutes)s minutes). Cramps usually last a few minutes at most.",
            f["nights"],
        ) % {"count": f["nights"], "minutes": _minutes(f["minutes"])}
    if rule == "severe_frequent":
        return _("Cramps of 8/10 or worse on %(count)d of the last 14 nights.") % {
            "count": f["nights"]
        }
    if rule == "persistent_cramps":
        return _(
            "Cramps on %(count)d of the last 14 nights, painful or waking you: cramps that keep "
            "coming are worth talking about."
        ) % {"count": f["nights"]}
    if rule == "daytime_impairment":
        return _(
            "On %(count)d of the last 14 nights cramps broke your sleep and the day after was "
            "hard to get through."
        ) % {"count": f["nights"]}
    if rule == "weakness_atrophy":
        return _(
            "You noted %(signs)s on %(nights)s, and your last cramp night was %(cramp)s. With "
            "cramps, these can point to a nerve or muscle problem worth checking."
        ) % {
            "signs": _list([str(Symptom(sign).label).lower() for sign in f["signs"]]),
            "nights": _list([_day(night) for night in f["sign_nights"]]),
            "cramp": _day(f["last_cramp_night"]),
        }
    if rule == "not_typical":
        return _(
            "On %(count)d of the last 30 nights you noted cramps by day or in other muscles. "
            "Typical night cramps are in the calf or foot, at night."
        ) % {"count": f["nights"]}
    if rule == "venous_disease":
        return _(
            "Your profile records venous disease or varicose veins, and you had cramps on "
            "%(count)d of the last 30 nights: treating the veins sometimes ends the cramps."
        ) % {"count": f["nights"]}
    if rule == "artery_disease":
        return _(
            "Your profile records peripheral artery disease, and you had cramps on %(count)d of "
            "the last 14 nights. Tell your doctor, who may want to check your circulation."
        ) % {"count": f["nights"]}
    if rule == "medication_review":
        return _(
            "You take %(medicines)s, which can cause cramps, and had cramps on %(count)d of the "
            "last 14 nights. Ask your doctor to review your medicines; don't stop a prescribed "
            "medicine on your own."
        ) % {
            "medicines": _medicines(f["medications"]),
            "count": f["nights"],
        }
    if rule == "quinine_review":
        return _(
            "You started %(name)s on %(started)s, and in its first 4 weeks %(outcome)s Quinine "
            "is only worth its risks if it clearly helps: talk to your doctor about whether to "
            "go on with quinine. Don't start or stop a prescribed medicine on your own."
        ) % {"name": f["name"], "started": _day(f["started"]), "outcome": _quinine_outcome(f)}
    return _("A rule of an earlier version of the diary fired (%(rule)s).") % {"rule": rule}


def _per_week(value) -> str:
    """To one decimal, as the treatments table shows it (diary_tags' `decimal` filter)."""
    return number_format(round(value, 1), 1)


def _quinine_outcome(f: dict) -> str:
    """What weeks 1-4 of a quinine course showed, ending with a full stop."""
    if f["verdict"] == "no_change":
        return _(
            "you had %(after)s cramps a week against %(before)s in the 4 weeks before "
            "(%(change)+d%%): not the 25%% fewer that counts as a response."
        ) % {
            "after": _per_week(f["after"]),
            "before": _per_week(f["before"]),
            "change": f["change"],
        }
    if f["verdict"] == "no_cramps_before":
        return _(
            "the cramps went on, but the diary has no cramps in the 4 weeks before, so it "
            "cannot show that quinine helps."
        )
    return _(
        "the cramps went on, but too few nights were logged (%(before)d before the start, "
        "%(after)d after; 14 of each are needed) to show that quinine helps."
    ) % {"before": f["logged_before"], "after": f["logged"]}


def _clinician_reason(rule: str, f: dict) -> str:
    if rule == "severe_persistent":
        return _("Reported a severe cramp that would not stop on the night of %(night)s.") % {
            "night": _day(f["night"])
        }
    if rule == "limb_ischaemia":
        return _(
            "Reported a leg or foot suddenly cold, pale or blue, or numb and weak, on the night "
            "of %(night)s."
        ) % {"night": _day(f["night"])}
    if rule == "dark_urine":
        return _("Reported dark urine after cramps on the night of %(night)s.") % {
            "night": _day(f["night"])
        }
    if rule == "toxin_exposure":
        return ngettext(
            "Cramps on %(count)d night within %(days)d days of exposure to %(substance)s "
            "(night of %(exposed)s).",
            "Cramps on %(count)d nights within %(days)d days of exposure to %(substance)s "
            "(night of %(exposed)s).",
            f["cramp_nights"],
        ) % {
            "count": f["cramp_nights"],
            "days": f["days"],
            "substance": f["substance"] or _("a toxin"),
            "exposed": _day(f["exposed"]),
        }
    if rule == "clot_signs":
        return _(
            "Reported a swollen, red, warm or tender calf or leg on the night of %(night)s."
        ) % {"night": _day(f["night"])}
    if rule == "severe_prolonged":
        return _(
            "A cramp of %(severity)d/10 lasting %(minutes)s minutes with %(relief)s on the night "
            "of %(night)s."
        ) % {
            "severity": f["severity"],
            "minutes": _minutes(f["minutes"]),
            "relief": _("no relief") if f["relief"] == "none" else _("only some relief"),
            "night": _day(f["night"]),
        }
    if rule == "pregnancy_one_sided":
        return _(
            "Pregnant or recently gave birth; one-sided cramps of 10 minutes or more on %(count)d "
            "of the last 7 nights (longest %(minutes)s minutes)."
        ) % {"count": f["nights"], "minutes": _minutes(f["minutes"])}
    if rule == "pad_rest_pain":
        return _(
            "Peripheral artery disease; one-sided cramps of 10 minutes or more on %(count)d of "
            "the last 7 nights."
        ) % {"count": f["nights"]}
    if rule == "prolonged_cramps":
        return _(
            "Cramps of 10 minutes or more on %(count)d of the last 14 nights (%(severe)d with "
            "severity 8 or more; longest %(minutes)s minutes)."
        ) % {
            "count": f["nights"],
            "severe": f["severe_nights"],
            "minutes": _minutes(f["minutes"]),
        }
    if rule == "severe_frequent":
        return _("Cramps of severity 8 or more on %(count)d of the last 14 nights.") % {
            "count": f["nights"]
        }
    if rule == "persistent_cramps":
        return _("Cramps on %(count)d of the last 14 nights, painful (4/10 or more) or waking.") % {
            "count": f["nights"]
        }
    if rule == "daytime_impairment":
        return _(
            "Moderate or severe daytime impairment after %(count)d cramp nights of the last 14."
        ) % {"count": f["nights"]}
    if rule == "weakness_atrophy":
        return _("Noted %(signs)s on %(nights)s; last cramp night %(cramp)s.") % {
            "signs": _list([str(Symptom(sign).label).lower() for sign in f["signs"]]),
            "nights": _list([_day(night) for night in f["sign_nights"]]),
            "cramp": _day(f["last_cramp_night"]),
        }
    if rule == "not_typical":
        return _(
            "Cramps by day, in other muscles or in a muscle marked “other” on %(count)d of the "
            "last 30 nights."
        ) % {"count": f["nights"]}
    if rule == "venous_disease":
        return _("Venous disease or varicose veins; cramps on %(count)d of the last 30 nights.") % {
            "count": f["nights"]
        }
    if rule == "artery_disease":
        return _(
            "Peripheral artery disease; cramps on %(count)d of the last 14 nights "
            "(%(prolonged)d with a cramp of 10 minutes or more)."
        ) % {"count": f["nights"], "prolonged": f["prolonged_nights"]}
    if rule == "medication_review":
        return _("Takes %(medicines)s; cramps on %(count)d of the last 14 nights.") % {
            "medicines": _medicines(f["medications"]),
            "count": f["nights"],
        }
    if rule == "quinine_review":
        return _("Quinine (%(name)s) since %(started)s; weeks 1-4: %(outcome)s") % {
            "name": f["name"],
            "started": _day(f["started"]),
            "outcome": _clinician_quinine(f),
        }
    return pgettext("rule of an earlier version", "Rule %(rule)s of an earlier version.") % {
        "rule": rule
    }


def _clinician_quinine(f: dict) -> str:
    if f["verdict"] == "no_change":
        return _(
            "%(after)s cramps a week against %(before)s before (%(change)+d%%), no response."
        ) % {
            "after": _per_week(f["after"]),
            "before": _per_week(f["before"]),
            "change": f["change"],
        }
    if f["verdict"] == "no_cramps_before":
        return _("cramps go on; none logged in the 4 weeks before the start.")
    return _(
        "cramps go on; too few nights logged to judge (%(before)d before, %(after)d after)."
    ) % {
        "before": f["logged_before"],
        "after": f["logged"],
    }


def reason(rule: str, figures: dict, *, reader: str = PATIENT, past: bool = False) -> str:
    """The reason for a prompt, for the patient (second person) or the clinician (third)."""
    if not figures:  # a run of an earlier version stored its words, not its figures
        return ""
    try:
        text = (
            _clinician_reason(rule, figures)
            if reader == CLINICIAN
            else _patient_reason(rule, figures, past)
        )
    except (KeyError, ValueError, TypeError):
        return ""
    # A quinine review's window is its first 4 weeks, not the last nights: its words say it.
    return text + ("" if past or rule == "quinine_review" else _coverage(figures))
