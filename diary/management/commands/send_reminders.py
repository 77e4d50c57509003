from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError

from diary.domain.reminders import WINDOW
from diary.tasks import reminders_queue


class Command(BaseCommand):
    help = (
        "Queues the morning reminders due now: patients with reminders on and a confirmed "
        "address, whose reminder time came in the last "
        f"{WINDOW.total_seconds() / 3600:g} hours, whose last night is not logged and who have "
        "had no reminder this morning. `manage.py db_worker` sends them. Safe to run on several "
        "servers at once; a scheduler runs it every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="Act as if it were this moment, ISO 8601 (e.g. 2026-12-01T07:35+00:00; "
            "without an offset, UTC), instead of now.",
        )

    def handle(self, *args, now, **options):
        moment = None
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(
                    f"--now must be a date and time such as 2026-12-01T07:35+00:00, not {now!r}."
                ) from None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
        queued = reminders_queue(moment)
        self.stdout.write(f"Morning reminders queued: {queued}.")
