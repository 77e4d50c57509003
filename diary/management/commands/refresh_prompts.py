import multiprocessing
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from diary.services.prompts import prompts_refresh_stale


def _refresh(day: date | None) -> int:
    """One of the processes: batches of patients no other process holds."""
    try:
        return prompts_refresh_stale(on=day)
    finally:
        connections.close_all()


def _in_processes(count: int, day: date | None) -> list[int]:
    """`count` processes at once, each refreshing until nobody is left; how many each did."""
    connections.close_all()  # each process opens its own connection, none shares ours
    with multiprocessing.get_context("fork").Pool(count) as pool:
        return pool.map(_refresh, [day] * count, chunksize=1)


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
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="Refresh in this many processes at once (PostgreSQL), sharing the patients "
            "between them: about one for each core (docs/performance.md).",
        )

    def handle(self, *args, on, processes, **options):
        try:
            day = date.fromisoformat(on) if on else None
        except ValueError:
            raise CommandError(f"--on must be a date written YYYY-MM-DD, not {on!r}.") from None
        if processes < 1:
            raise CommandError(f"--processes must be 1 or more, not {processes}.")
        if processes == 1:
            refreshed = prompts_refresh_stale(on=day)
            self.stdout.write(f"Prompts brought up to date for {refreshed} patients.")
            return
        if not connection.features.has_select_for_update_skip_locked:
            raise CommandError(
                "--processes needs a database whose row locks can be skipped (PostgreSQL): "
                "without them, processes would refresh the same patients."
            )
        each = _in_processes(processes, day)
        self.stdout.write(
            f"Prompts brought up to date for {sum(each)} patients "
            f"({' + '.join(map(str, each))} by {processes} processes)."
        )
