from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Role, User


class Command(BaseCommand):
    help = "Creates a clinician account and prints a one-time link to set its password."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="The clinician's full name.")
        parser.add_argument("--practice", default="", help="Where they work, shown to patients.")

    def handle(self, *args, email, name, practice, **options):
        email = User.objects.normalize_email(email)
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address.") from None
        if not name.strip():
            raise CommandError("--name must not be empty.")
        if User.objects.filter(email=email).exists():
            raise CommandError(f"An account for {email} already exists.")
        clinician = User.objects.create_user(
            email=email,
            password=None,
            role=Role.CLINICIAN,
            full_name=name.strip(),
            practice=practice.strip(),
        )
        path = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(clinician.pk)),
                "token": default_token_generator.make_token(clinician),
            },
        )
        self.stdout.write(f"Created clinician {clinician.full_name} <{clinician.email}>.")
        self.stdout.write("Send them this one-time link to set their password:")
        self.stdout.write(settings.SITE_URL.rstrip("/") + path)
