"""The words of a prompt, rendered when shown from its rule and figures.

Each rule's words live with its registry entry (diary.domain.rules): a title, a reason to the
patient in the second person ("you") and to the clinician in the third ("the patient"), and for
urgent and today rules a reason in the past tense (a run the patient never answered stays on
show after its rule stops firing). This module picks them, and the action line that goes with
a level. Dates in the figures are ISO strings; they are shown as "20 Nov".
"""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from diary.domain import rules
from diary.domain.rules.base import Action
from diary.domain.rules.words import coverage
from diary.domain.runs import VISIT

PATIENT = "patient"
CLINICIAN = "clinician"


def title(rule: str) -> str:
    entry = rules.rule(rule)
    return str(entry.words.title) if entry else rule.replace("_", " ")


def reason(rule: str, figures: dict, *, reader: str = PATIENT, past: bool = False) -> str:
    """The reason for a prompt, for the patient (second person) or the clinician (third)."""
    if not figures:  # a run of an earlier version stored its words, not its figures
        return ""
    entry = rules.rule(rule)
    if entry is None:
        if reader == CLINICIAN:
            return pgettext(
                "rule of an earlier version", "Rule %(rule)s of an earlier version."
            ) % {"rule": rule}
        return _("A rule of an earlier version of the diary fired (%(rule)s).") % {"rule": rule}
    words = entry.words
    past = past and reader == PATIENT and words.past is not None
    write = words.clinician if reader == CLINICIAN else (words.past if past else words.patient)
    try:
        text = write(figures)
    except (KeyError, ValueError, TypeError):
        return ""
    return text + ("" if past else coverage(figures))


def action(rule: str) -> Action:
    """The rule's own action, or its level's."""
    entry = rules.rule(rule)
    if entry is None:
        return rules.LEVEL_ACTIONS[VISIT]
    return entry.words.action or rules.LEVEL_ACTIONS[entry.level]


def action_line(rule: str, *, past: bool = False) -> str:
    """The action sentence, with %(number)s where the emergency number goes. In the past tense:
    "If it is still happening, {action} now. Otherwise, tell us below what you did." A visit
    action carries its rule's time frame."""
    entry = rules.rule(rule)
    chosen = action(rule)
    if entry is not None and entry.level == VISIT:
        return _("Book an appointment with your doctor %(when)s to talk about your cramps.") % {
            "when": rules.TIME_FRAMES[entry.words.time_frame]
        }
    if past and chosen.past:
        return _(
            "If it is still happening, %(action)s now. Otherwise, tell us below what you did."
        ) % {"action": chosen.past}
    return str(chosen.present)


def action_also(rule: str) -> str:
    """A second action sentence (e.g. the short-of-breath line), or ""."""
    return str(action(rule).also or "")
