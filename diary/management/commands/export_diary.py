import json

from django.core.management.base import BaseCommand

from diary.management.commands._patients import patient_by_email
from diary.services.nights import diary_export


class Command(BaseCommand):
    help = "Writes a patient's whole diary to standard output in the exchange format (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        diary = diary_export(patient=patient_by_email(email))
        self.stdout.write(json.dumps(diary, indent=1, ensure_ascii=False))
