from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import CareLink, Role, User
from accounts.sharing import care_link_create
from diary.domain.demo import demo_patients
from diary.domain.exchange import Diary
from diary.models import Night, Prompt, Treatment
from diary.services.nights import diary_import

DEMO_PASSWORD = "cramps-demo"
DEMO_CLINICIAN = ("demo.clinician@example.org", "Dr Clare Demo")
DEMO_PRACTICE = "Riverside Vein and Leg Clinic"


class Command(BaseCommand):
    help = (
        "Creates the demo accounts and their diaries, ending last night "
        "(local development only; running it again rebuilds the same demo)."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DJANGO_DEBUG=1: its accounts have a published password."
            )
        today = timezone.localdate(timezone=timezone.get_fixed_timezone(0))
        with transaction.atomic():
            clinician = _account(*DEMO_CLINICIAN, role=Role.CLINICIAN, practice=DEMO_PRACTICE)
            CareLink.objects.filter(clinician=clinician).delete()
            for number, demo in enumerate(demo_patients(today), start=1):
                patient = _account(demo.email, demo.full_name, time_zone=demo.time_zone)
                # Start afresh, then write the diary in one go, as an import does.
                Night.objects.filter(patient=patient).delete()
                Prompt.objects.filter(patient=patient).delete()
                Treatment.objects.filter(patient=patient).delete()
                profile = {
                    "venous_disease": demo.venous_disease,
                    "pregnant": demo.pregnant,
                    "pregnancy_date": demo.pregnancy_date,
                    "medications": demo.medications,
                    "date_of_birth": demo.date_of_birth,
                }
                diary_import(
                    patient=patient,
                    diary=Diary(profile=profile, nights=demo.nights, treatments=demo.treatments),
                )
                link = care_link_create(patient=patient, clinician=clinician)
                link.record_number = f"MRN-{1000 + number}"
                link.last_appointment = today - timedelta(days=30 + 7 * number)
                link.next_appointment = today + timedelta(days=3 * number)
                link.save()
                self.stdout.write(f"{demo.email}: {len(demo.nights)} nights")
        self.stdout.write(
            f"Demo log-ins (password {DEMO_PASSWORD}): demo.patient@example.org, "
            f"{DEMO_CLINICIAN[0]}; other patients: demo.<name>@example.org"
        )


def _account(email, full_name, role=Role.PATIENT, **fields):
    user = User.objects.filter(email=email).first()
    if user is None:
        return User.objects.create_user(
            email=email, password=DEMO_PASSWORD, role=role, full_name=full_name, **fields
        )
    # Reset the password so that the printed log-in always works, and the demo details.
    user.set_password(DEMO_PASSWORD)
    for name, value in {"full_name": full_name, **fields}.items():
        setattr(user, name, value)
    user.save()
    return user
