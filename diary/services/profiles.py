"""The profile page's saves: the account's details and, for a patient, the health profile the
rules read."""

from django.db import transaction
from django.utils import timezone

from diary.models import HealthProfile
from diary.services.prompts import diary_changed


def health_profile_of(patient) -> HealthProfile:
    """The patient's health profile, made empty the first time it is asked for."""
    return HealthProfile.objects.get_or_create(patient=patient)[0]


@transaction.atomic
def profile_save(*, user, forms) -> None:
    """Saves the page's valid forms together; for a patient, the rules see the change at once
    (the time zone and the health profile change what they read)."""
    for form in forms:
        form.save()
    if user.is_patient:
        diary_changed(patient=user)


def pregnancy_dates(profile: HealthProfile) -> dict:
    """What the profile page says of a given due or birth date, on the patient's own today:
    whether it has lapsed, whether it was a birth, and until when it counts."""
    today = timezone.localdate(timezone=profile.patient.zone)
    answers = profile.to_record()
    return {
        "pregnancy_lapsed": answers.pregnancy_lapsed(today),
        "gave_birth": answers.gave_birth_by(today),
        "pregnancy_counts_until": answers.pregnancy_counts_until(),
    }
