from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from diary.domain.exchange import MAX_BYTES, ExchangeError, file_text
from diary.management.commands._patients import patient_by_email
from diary.services.imports import diary_read
from diary.services.nights import diary_import


class Command(BaseCommand):
    help = (
        "Loads a diary file (exchange format) into a patient's diary: each night in the file "
        "replaces that night; all of it is checked first, and nothing is written if any of it "
        "is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--create",
            action="store_true",
            help="Create the patient account first (with no usable password) if it is missing.",
        )

    def handle(self, *args, email, file, create, **options):
        try:
            raw = file.read_bytes()[: MAX_BYTES + 1]
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        with transaction.atomic():
            if create and not User.objects.filter(email=User.objects.normalize_email(email)):
                User.objects.create_user(email=email, password=None, full_name=email.split("@")[0])
            patient = patient_by_email(email)
            try:
                diary = diary_read(patient=patient, text=file_text(raw))
                new, replaced = diary_import(patient=patient, diary=diary)
            except ExchangeError as error:
                raise CommandError(f"{file}: {error}") from None
        self.stdout.write(f"{patient.email}: {new} new, {replaced} replaced.")
