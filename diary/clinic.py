"""What a clinician sees: the dashboard of patients sharing their diary, most urgent first.

The dashboard evaluates each patient's prompts afresh for that patient's today, in memory,
from a fixed number of queries whatever the number of patients; stored prompt runs only say
which of them the patient has acknowledged.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Max, Q

from accounts.models import CareLink, LinkStatus
from diary import triage
from diary.dates import last_night, patient_today
from diary.models import Night, Prompt, night_records
from diary.prompts import thresholds
from diary.records import NightRecord

RECENT_NIGHTS = 14


@dataclass
class DashboardRow:
    link: CareLink
    prompts: list[triage.Prompt]
    acknowledged: set[str]  # rules whose current run the patient has acknowledged
    nights_logged: int  # in the last RECENT_NIGHTS nights
    cramp_nights: int
    last_logged: date | None
    new_nights: int  # nights added or changed since the clinician's last review

    @property
    def patient(self):
        return self.link.patient

    @property
    def urgency(self) -> int:
        """0 urgent unacknowledged, 1 urgent, 2 visit unacknowledged, 3 visit, 4 nothing."""
        ranks = [
            (0 if prompt.level == triage.URGENT else 2) + (prompt.rule in self.acknowledged)
            for prompt in self.prompts
        ]
        return min(ranks, default=4)

    def sort_key(self):
        return (
            self.urgency,
            self.link.next_appointment or date.max,
            self.patient.full_name.lower(),
        )


def dashboard_rows(*, clinician, name: str = "") -> list[DashboardRow]:
    """Every patient sharing with the clinician, most urgent first (five queries)."""
    links = (
        CareLink.objects.filter(clinician=clinician, status=LinkStatus.ACTIVE)
        .filter(patient__full_name__icontains=name.strip())
        .select_related("patient", "patient__health_profile")
        .annotate(
            last_logged=Max("patient__nights__date"),
            new_nights=Count(
                "patient__nights",
                filter=Q(last_reviewed_at__isnull=True)
                | Q(patient__nights__updated_at__gt=F("last_reviewed_at")),
            ),
        )
    )
    links = list(links)
    if not links:
        return []
    rules = thresholds()
    todays = {link.patient_id: patient_today(link.patient) for link in links}
    earliest = min(todays.values()) - timedelta(days=triage.lookback_nights(rules))
    nights = defaultdict(list)
    rows = Night.objects.filter(patient__in=[link.patient_id for link in links], date__gte=earliest)
    for patient_id, record in night_records(rows):
        nights[patient_id].append(record)
    acknowledged = defaultdict(set)
    for run in Prompt.objects.filter(
        patient__in=todays, ended__isnull=True, acknowledged_at__isnull=False
    ).only("patient_id", "rule"):
        acknowledged[run.patient_id].add(run.rule)
    result = [
        _row(link, nights[link.patient_id], todays[link.patient_id], rules, acknowledged)
        for link in links
    ]
    return sorted(result, key=DashboardRow.sort_key)


def _row(link, records: list[NightRecord], today: date, rules, acknowledged) -> DashboardRow:
    profile = getattr(link.patient, "health_profile", None)
    facts = triage.HealthFacts(venous_disease=bool(profile and profile.venous_disease))
    recent_first = last_night(today) - timedelta(days=RECENT_NIGHTS - 1)
    recent = [r for r in records if recent_first <= r.night < today]
    return DashboardRow(
        link=link,
        prompts=triage.evaluate(facts, records, today, rules),
        acknowledged=acknowledged[link.patient_id],
        nights_logged=len(recent),
        cramp_nights=sum(record.is_cramp_night for record in recent),
        last_logged=link.last_logged,
        new_nights=link.new_nights,
    )
