import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from diary.domain.reasons import reason
from diary.management.commands._patients import patient_by_email
from diary.services.dates import patient_today
from diary.services.prompt_refresh import prompts_firing


class Command(BaseCommand):
    help = "Prints the prompts that fire for a patient on a date, without storing anything."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--on", help="The date to evaluate for, YYYY-MM-DD (default: today).")
        parser.add_argument("--json", action="store_true", help="Print a JSON list.")

    def handle(self, *args, email, on, json: bool, **options):
        patient = patient_by_email(email)
        try:
            today = date.fromisoformat(on) if on else patient_today(patient)
        except ValueError:
            raise CommandError(f"--on must be a date written YYYY-MM-DD, not {on!r}.") from None
        findings = prompts_firing(patient=patient, today=today)
        if json:
            self.stdout.write(_as_json(findings))
            return
        if not findings:
            self.stdout.write(f"No prompts for {patient.email} on {today}.")
        for finding in findings:
            nights = ", ".join(night.isoformat() for night in finding.evidence)
            why = reason(finding.rule, finding.figures)
            self.stdout.write(f"{finding.level}\t{finding.rule}\t{why}\t[{nights}]")


def _as_json(findings) -> str:
    return json.dumps(
        [
            {
                "level": finding.level,
                "rule": finding.rule,
                "reason": reason(finding.rule, finding.figures),
                "evidence": [night.isoformat() for night in finding.evidence],
            }
            for finding in findings
        ],
        indent=1,
        ensure_ascii=False,
    )
