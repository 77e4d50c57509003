from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Role, User

DEMO_PASSWORD = "cramps-demo"
DEMO_ACCOUNTS = [
    ("demo.patient@example.org", "Pat Demo", Role.PATIENT),
    ("demo.clinician@example.org", "Dr Clare Demo", Role.CLINICIAN),
]


class Command(BaseCommand):
    help = "Creates the demo accounts (local development only; idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DJANGO_DEBUG=1: its accounts have a published password."
            )
        with transaction.atomic():
            for email, name, role in DEMO_ACCOUNTS:
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = User.objects.create_user(
                        email=email, password=DEMO_PASSWORD, role=role, full_name=name
                    )
                    self.stdout.write(f"Created {role} {email}")
                else:
                    # Reset the password so the printed log-in always works.
                    user.set_password(DEMO_PASSWORD)
                    user.save(update_fields=["password"])
        self.stdout.write(
            "Demo log-ins (password {password}): {emails}".format(
                password=DEMO_PASSWORD, emails=", ".join(email for email, _, _ in DEMO_ACCOUNTS)
            )
        )
