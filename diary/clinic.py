"""What a clinician sees: the dashboard of patients sharing their diary, most pressing first.

It reads stored prompt runs (kept current by every diary change and by `refresh_prompts`), never
evaluating the rules on page load, from a fixed number of queries whatever the number of
patients.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Max, Q

from accounts.models import CareLink, LinkStatus
from diary.dates import last_night, patient_today
from diary.models import Night, Prompt
from diary.prompts import LEVEL_ORDER, pressing_order

RECENT_NIGHTS = 14
STATES = {"new": 0, "acknowledged": 1, "assessed": 2}


@dataclass
class DashboardRow:
    link: CareLink
    prompts: list[Prompt]  # current runs, most pressing first
    nights_logged: int  # in the last RECENT_NIGHTS nights
    cramp_nights: int
    last_logged: date | None
    new_nights: int  # nights added or changed since the clinician's last review

    @property
    def patient(self):
        return self.link.patient

    def sort_key(self):
        """By the most pressing run: its state (new, acknowledged, assessed), then its level;
        then the next appointment, then the name."""
        top = self.prompts[0] if self.prompts else None
        return (
            STATES[top.state] if top else len(STATES),
            LEVEL_ORDER[top.level] if top else len(LEVEL_ORDER),
            self.link.next_appointment or date.max,
            self.patient.full_name.lower(),
        )


def dashboard_rows(*, clinician, name: str = "") -> list[DashboardRow]:
    """Every patient sharing with the clinician, most pressing first (four queries)."""
    links = list(
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
    if not links:
        return []
    patients = [link.patient_id for link in links]
    todays = {link.patient_id: patient_today(link.patient) for link in links}
    earliest = last_night(min(todays.values())) - timedelta(days=RECENT_NIGHTS - 1)
    recent = defaultdict(list)  # patient id -> [(night, has cramps)]
    nights = (
        Night.objects.filter(patient__in=patients, date__gte=earliest)
        .annotate(cramp_count=Count("cramps"))
        .values_list("patient_id", "date", "cramp_count")
    )
    for patient_id, night, cramp_count in nights:
        recent[patient_id].append((night, cramp_count > 0))
    runs = defaultdict(list)
    for run in Prompt.objects.filter(patient__in=patients, ended__isnull=True):
        runs[run.patient_id].append(run)
    rows = []
    for link in links:
        today = todays[link.patient_id]
        first = last_night(today) - timedelta(days=RECENT_NIGHTS - 1)
        window = [cramps for night, cramps in recent[link.patient_id] if first <= night < today]
        rows.append(
            DashboardRow(
                link=link,
                prompts=sorted(runs[link.patient_id], key=pressing_order),
                nights_logged=len(window),
                cramp_nights=sum(window),
                last_logged=link.last_logged,
                new_nights=link.new_nights,
            )
        )
    return sorted(rows, key=DashboardRow.sort_key)
