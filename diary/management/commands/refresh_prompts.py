from datetime import date

from django.core.management.base import BaseCommand, CommandError

from diary.services.prompts import prompts_refresh_stale


class Command(BaseCommand):
    help = (
        "Brings stored prompts up to date for the day: every patient whose prompts were last "
        "brought up to date before their own today. Safe to run on several servers at once; "
        "a scheduler runs it every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--on", help="Evaluate for this date, YYYY-MM-DD, instead of each patient's today."
        )

    def handle(self, *args, on, **options):
        try:
            day = date.fromisoformat(on) if on else None
        except ValueError:
            raise CommandError(f"--on must be a date written YYYY-MM-DD, not {on!r}.") from None
        refreshed = prompts_refresh_stale(on=day)
        self.stdout.write(f"Prompts brought up to date for {refreshed} patients.")
