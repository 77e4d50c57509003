"""Helpers the rules' words share: dates as "20 Nov", minutes, lists, medicines, coverage."""

from datetime import date

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# Medicine names inside a sentence ("You take a statin, which…").
MEDICINES_IN_A_SENTENCE = {
    "diuretic": gettext_lazy("water tablets (a diuretic)"),
    "statin": gettext_lazy("a statin"),
    "beta_agonist": gettext_lazy("an asthma or COPD inhaler such as salbutamol"),
    "calcium_channel_blocker": gettext_lazy("a calcium-channel blocker"),
    "raloxifene_or_oestrogen": gettext_lazy("raloxifene or an oestrogen"),
}


def medicines(values: list[str]) -> str:
    return word_list([str(MEDICINES_IN_A_SENTENCE.get(value, value)) for value in values])


def day(iso: str) -> str:
    return date_format(date.fromisoformat(iso), "j M")


def minutes(value) -> str:
    return f"{value:g}"


def per_week(value) -> str:
    """To one decimal, as the treatments table shows it (diary_tags' `decimal` filter)."""
    return number_format(round(value, 1), 1)


def word_list(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return _("%(items)s and %(last)s") % {"items": ", ".join(words[:-1]), "last": words[-1]}


def coverage(figures: dict) -> str:
    logged, window = figures.get("logged"), figures.get("window")
    if logged is None or window is None or logged * 2 >= window:
        return ""
    return " " + ngettext(
        "(Only %(logged)d of the last %(nights)d nights logged.)",
        "(Only %(logged)d of the last %(nights)d nights logged.)",
        window,
    ) % {"logged": logged, "nights": window}
