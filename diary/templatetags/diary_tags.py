import math

from django import template
from django.forms.utils import flatatt
from django.utils.formats import date_format, number_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from diary.domain import verdicts
from diary.domain.vocabulary import (
    DaytimeImpairment,
    Medication,
    Muscle,
    Prevention,
    RedFlag,
    Remedy,
    Side,
    Symptom,
)
from diary.domain.what_helps import FEWER, MORE, NO_REMEDY

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
def hours_minutes(value) -> str:
    """Minutes of sleep for people: "6 h 15 min", "45 min"; an en dash when there are none."""
    if value is None:
        return "–"
    hours, rest = divmod(round(value), 60)
    if not hours:
        return _("%(minutes)s min") % {"minutes": rest}
    return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}


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
def verdict_change(verdict) -> str:
    """A verdict's change with its 95% interval in words (diary.domain.verdicts)."""
    return verdicts.change_in_words(verdict.comparison)


@register.filter
def whole_percent(value: int) -> str:
    """A whole percent with its sign: "−42%", "+13%", "0%"."""
    return verdicts.signed_percent(value)


@register.filter
def verdict_label(verdict) -> str:
    return verdicts.VERDICT_LABELS[verdict.verdict]


@register.filter
def share(value) -> str:
    """0.625 -> "63%"."""
    return "–" if value is None else f"{round(value * 100)}%"


def _ratio(value: float) -> str:
    """A ratio to one decimal, or to its first significant digit below 0.1: "0.6", "0.04";
    never "1.0" for what is not 1, so that a range wholly below 1 reads "0.2 to 0.97"."""
    places = max(1, -math.floor(math.log10(value)))
    while round(value, places) == 1 and value != 1 and places < 3:
        places += 1
    return number_format(round(value, places), places)


# "What helps" in words: the one place these sentences are made, for every page and the PDF.
@register.filter
def remedy_in_words(effect) -> str:
    """How often cramps eased fully after a remedy (or with none), with the 95% interval:
    "eased fully after it: 14 of 20 (70%; somewhere between 48% and 85%)"; empty when there
    are too few tries for a share."""
    if effect.share is None:
        return ""
    figures = {
        "eased": effect.eased,
        "tries": effect.tries,
        "share": share(effect.share),
        "low": share(effect.low),
        "high": share(effect.high),
    }
    if effect.remedy == NO_REMEDY:
        return (
            _(
                "eased fully with no remedy: %(eased)s of %(tries)s (%(share)s; somewhere between "
                "%(low)s and %(high)s)"
            )
            % figures
        )
    return (
        _(
            "eased fully after it: %(eased)s of %(tries)s (%(share)s; somewhere between %(low)s "
            "and %(high)s)"
        )
        % figures
    )


@register.filter
def habit_in_words(effect) -> str:
    """A habit's cramp-night ratio (Mantel-Haenszel, by the night before) with its 95%
    interval: "fewer cramp nights after it (0.6 times as many; could be 0.4 to 0.9)", "more
    cramp nights after it (…)", or "we can't tell yet (…)" when the interval holds 1, or with
    no figures when the ratio cannot be formed; empty when there are too few nights."""
    if effect.direction is None:
        return ""
    if effect.ratio is None:
        return _("we can't tell yet (no nights alike, with and without it, to compare)")
    figures = {
        "ratio": _ratio(effect.ratio),
        "low": _ratio(effect.ratio_low),
        "high": _ratio(effect.ratio_high),
    }
    if effect.direction == FEWER:
        words = _(
            "fewer cramp nights after it (%(ratio)s times as many; could be %(low)s to %(high)s)"
        )
    elif effect.direction == MORE:
        words = _(
            "more cramp nights after it (%(ratio)s times as many; could be %(low)s to %(high)s)"
        )
    else:
        words = _("we can't tell yet (%(ratio)s times as many; could be %(low)s to %(high)s)")
    return words % figures


@register.filter
def muscle_label(value) -> str:
    return Muscle(value).label


@register.filter
def side_label(value) -> str:
    return Side(value).label


@register.filter
def remedy_label(value) -> str:
    return _("No remedy") if value == NO_REMEDY else Remedy(value).label


@register.filter
def habit_label(value) -> str:
    return Prevention(value).label


@register.filter
def impairment_label(value) -> str:
    """A daytime rating in words, or an en dash when none was given."""
    return DaytimeImpairment(value).label if value else "–"


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


@register.filter
def with_emergency_number(text: str, number: str) -> str:
    """An action sentence with its %(number)s as a tel: link to the emergency number."""
    link = format_html('<a class="alert-link" href="tel:{}">{}</a>', number, number)
    parts = [conditional_escape(part) for part in str(text).split("%(number)s")]
    return mark_safe(str(link).join(parts))


@register.simple_tag
def choice_inputs(field, tone=""):
    """The inputs and labels of a radio or check-box field drawn as toggle buttons
    (diary/includes/choices.html): written here rather than by each option's three widget
    templates or a template loop, the same markup in a fraction of the time (the log page draws
    about 50 options a cramp)."""
    button = "btn-outline-danger" if tone == "danger" else "btn-outline-primary"
    return format_html_join(
        "\n",
        '<input type="{}" name="{}"{}{}><label class="btn {}" for="{}">{}</label>',
        (
            (
                choice.data["type"],
                choice.data["name"],
                format_html(' value="{}"', choice.data["value"])
                if choice.data["value"] is not None
                else "",
                flatatt(choice.data["attrs"]),
                button,
                choice.id_for_label,
                choice.choice_label,
            )
            for choice in field
        ),
    )
