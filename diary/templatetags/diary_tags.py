from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from diary.vocabulary import Medication, Muscle, Prevention, RedFlag, Remedy, Side, Symptom

register = template.Library()


@register.filter
def minutes(value) -> str:
    """Cramp minutes for people: "45 s", "4 min", "2.5 min"."""
    if value is None:
        return ""
    if value < 1:
        return _("%(seconds)s s") % {"seconds": round(value * 60)}
    rounded = round(value, 1)
    shown = int(rounded) if rounded == int(rounded) else number_format(rounded, 1)
    return _("%(minutes)s min") % {"minutes": shown}


@register.filter
def cramp_place(cramp) -> str:
    """Where a cramp was, in words: "Calf (left)"."""
    return _("%(muscle)s (%(side)s)") % {
        "muscle": Muscle(cramp.muscle).label,
        "side": str(Side(cramp.side).label).lower(),
    }


@register.filter
def decimal(value, places=1) -> str:
    """A number for people, or an en dash when there is none."""
    if value is None:
        return "–"
    return number_format(round(value, int(places)), int(places))


@register.filter
def share(value) -> str:
    """0.625 -> "63%"."""
    return "–" if value is None else f"{round(value * 100)}%"


@register.filter
def muscle_label(value) -> str:
    return Muscle(value).label


@register.filter
def side_label(value) -> str:
    return Side(value).label


@register.filter
def remedy_label(value) -> str:
    return Remedy(value).label


@register.filter
def habit_label(value) -> str:
    return Prevention(value).label


@register.filter
def period_span(period) -> str:
    """A period of nights in words: "Wed 4 Nov", or "9 Nov – 15 Nov"."""
    if period.start == period.end:
        return date_format(period.start, "D j M")
    return f"{date_format(period.start, 'j M')} – {date_format(period.end, 'j M')}"


def _labels(chosen, choices) -> list[str]:
    """The labels of the chosen values, in vocabulary order."""
    return [str(choice.label) for choice in choices if choice.value in chosen]


@register.filter
def red_flag_labels(chosen) -> list[str]:
    return _labels(chosen, RedFlag)


@register.filter
def symptom_labels(chosen) -> list[str]:
    return _labels(chosen, Symptom)


@register.filter
def medication_labels(chosen) -> list[str]:
    return _labels(chosen or (), Medication)
