from django.core.management.base import CommandError

from accounts.models import User


def patient_by_email(email: str) -> User:
    patient = User.objects.filter(email=User.objects.normalize_email(email)).first()
    if patient is None:
        raise CommandError(f"No account for {email}.")
    if not patient.is_patient:
        raise CommandError(f"{email} is not a patient account.")
    return patient
