from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from diary.vocabulary import Muscle, Side

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
