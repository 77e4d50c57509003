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
    TWITCHING = "twitching", _("Muscle twitching")
    DAYTIME_CRAMPS = "daytime_cramps", _("Cramps during the day")
    CRAMPS_ELSEWHERE = "cramps_elsewhere", _("Cramps in other muscles (arms, hands, belly)")
    # Since rules v3 (exchange format version 3): pointers to nerve, restless-legs or artery
    # trouble that NICE CKS lists, so that nobody ticks a warning sign for want of them.
    NUMBNESS_TINGLING = (
        "numbness_tingling",
        _("Numbness, tingling or burning in the feet or legs"),
    )
    URGE_TO_MOVE = "urge_to_move", _("An urge to move the legs when resting, eased by moving")
    PAIN_ON_WALKING = "pain_on_walking", _("Calf or leg pain when walking that eases with rest")


# The symptoms each version of the exchange format added after version 1.
SYMPTOMS_SINCE_V3 = frozenset(
    {Symptom.NUMBNESS_TINGLING, Symptom.URGE_TO_MOVE, Symptom.PAIN_ON_WALKING}
)


class RedFlag(TextChoices):
    """Warning signs noticed that morning: each one can call for care now or today."""

    CRAMP_WONT_STOP = "cramp_wont_stop", _("A severe cramp is still going on and won't stop")
    LEG_COLD_PALE = (
        "leg_cold_pale",
        _(
            "A leg or foot has suddenly turned cold, pale or blue, or gone numb and weak, "
            "and isn't getting better"
        ),
    )
    LEG_SWOLLEN = (
        "leg_swollen",
        _("One calf or leg is swollen, red, warm or tender, even between cramps"),
    )
    DARK_URINE = "dark_urine", _("Dark, tea- or cola-coloured urine since the cramps")


class Medication(TextChoices):
    """Medicines known to cause cramps (the health profile)."""

    DIURETIC = "diuretic", _("Water tablets (diuretics) such as furosemide or bendroflumethiazide")
    STATIN = "statin", _("A statin, such as simvastatin or atorvastatin")
    BETA_AGONIST = "beta_agonist", _("Asthma or COPD inhalers such as salbutamol")
    CALCIUM_CHANNEL_BLOCKER = (
        "calcium_channel_blocker",
        _("Calcium-channel blockers such as nifedipine or amlodipine"),
    )
    RALOXIFENE_OR_OESTROGEN = (
        "raloxifene_or_oestrogen",
        _("Raloxifene, or oestrogens (such as HRT)"),
    )


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
DURATION_MIN_MINUTES = 0.01  # under a second is a twitch, not a cramp
DURATION_MAX_MINUTES = 240
MAX_CRAMPS_PER_NIGHT = 20
NOTES_MAX_LENGTH = 2000
SUBSTANCE_MAX_LENGTH = 100
# Sleep details (Consensus Sleep Diary): minutes to fall asleep and minutes awake in the night
# up to 12 hours, awakenings up to 50; beyond that a figure is a typing slip, not a night.
SLEEP_MINUTES_MAX = 720
AWAKENINGS_MAX = 50


class TreatmentKind(TextChoices):
    """What a patient tries over weeks to prevent cramps (the treatments page)."""

    MAGNESIUM = "magnesium", _("Magnesium")
    STRETCHING = "stretching", _("A stretching programme")
    QUININE = "quinine", _("Quinine")
    VITAMIN_B = "vitamin_b", _("Vitamin B complex")
    OTHER = "other", _("Another medicine or remedy")


TREATMENT_NAME_MAX_LENGTH = 100
TREATMENT_DOSE_MAX_LENGTH = 100
MAX_TREATMENTS = 100  # per diary: the verdicts are worked out for every one on each page
