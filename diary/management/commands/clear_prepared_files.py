from django.core.management.base import BaseCommand

from diary.services.prepared import prepared_files_expire


class Command(BaseCommand):
    help = (
        "Deletes the summary PDFs and FHIR exports older than 24 hours "
        "(diary/services/prepared.py). They are never served after that; this takes them out of "
        "the database. A scheduler runs it every hour, beside clearsessions."
    )

    def handle(self, *args, **options):
        deleted = prepared_files_expire()
        self.stdout.write(f"Prepared files deleted: {deleted}.")
