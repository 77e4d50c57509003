"""The diary's fixed vocabularies. Their values are part of the exchange format: never rename."""

from django.db.models import IntegerChoices, TextChoices
from django.utils.translation import gettext_lazy as _


class DaytimeImpairment(TextChoices):
    NONE = "none", _("None")
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")


class Prevention(TextChoices):
    FLUIDS = "fluids", _("Plenty of fluids")
    STRETCHING = "stretching", _("Stretched my legs")
    STATIONARY_BIKE = "stationary_bike", _("Stationary bike")
    POTASSIUM_CALCIUM_FOODS = "potassium_calcium_foods", _("Potassium or calcium-rich food")


class Symptom(TextChoices):
    MUSCLE_WEAKNESS = "muscle_weakness", _("Muscle weakness")
    MUSCLE_ATROPHY = "muscle_atrophy", _("Muscle wasting (a muscle getting smaller)")


class Muscle(TextChoices):
    CALF = "calf", _("Calf")
    FOOT = "foot", _("Foot")
    TOES = "toes", _("Toes")
    THIGH_FRONT = "thigh_front", _("Front of thigh")
    THIGH_BACK = "thigh_back", _("Back of thigh")
    SHIN = "shin", _("Shin")
    OTHER = "other", _("Other")


class Side(TextChoices):
    LEFT = "left", _("Left")
    RIGHT = "right", _("Right")
    BOTH = "both", _("Both")


class Remedy(TextChoices):
    FLEX_FOOT = "flex_foot", _("Flexed my foot up")
    MASSAGE = "massage", _("Massage")
    ICE = "ice", _("Ice")
    WALK_OR_JIGGLE = "walk_or_jiggle", _("Walked or jiggled my leg")
    HOT_SHOWER_OR_BATH = "hot_shower_or_bath", _("Hot shower or bath")
    OTHER = "other", _("Something else")


class Relief(TextChoices):
    NONE = "none", _("No relief")
    SOME = "some", _("Some relief")
    FULL = "full", _("Full relief")


class SleepQuality(IntegerChoices):
    VERY_POOR = 1, _("1 – very poor")
    POOR = 2, _("2 – poor")
    FAIR = 3, _("3 – fair")
    GOOD = 4, _("4 – good")
    VERY_GOOD = 5, _("5 – very good")


SEVERITY_MIN, SEVERITY_MAX = 0, 10
DURATION_MAX_MINUTES = 240
NOTES_MAX_LENGTH = 2000
SUBSTANCE_MAX_LENGTH = 100
