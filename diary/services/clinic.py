"""What a clinician sees: the dashboard of patients sharing their diary, most pressing first.

It reads stored state only, never evaluating the rules on page load: each patient's diary state
(kept current by every diary change, answer and assessment, and by `refresh_prompts`) holds the
most pressing prompt's state and level, the last 14 nights' counts and the last night logged.
The database filters, sorts and pages the links; then only the page's patients are read, so the
page costs the same for 50 or 5,000 patients.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, Lower

from accounts.models import CareLink, LinkStatus
from diary.models import NOTHING_PRESSING, Prompt
from diary.services.prompts import pressing_order


@dataclass
class DashboardRow:
    link: CareLink
    prompts: list[Prompt]  # current runs, most pressing first
    new_nights: int  # nights added or changed since the clinician's last review

    @property
    def patient(self):
        return self.link.patient

    @property
    def state(self):
        return getattr(self.patient, "diary_state", None)

    @property
    def warning_sign(self) -> bool:
        """A warning sign in the last 14 nights that fired no rule, not yet seen."""
        return bool(self.state and self.state.unruled_warning_sign)

    @property
    def nights_logged(self) -> int:
        return self.state.recent_nights_logged if self.state else 0

    @property
    def cramp_nights(self) -> int:
        return self.state.recent_cramp_nights if self.state else 0

    @property
    def last_logged(self) -> date | None:
        return self.state.last_logged if self.state else None


def dashboard_links(*, clinician, name: str = "") -> QuerySet:
    """The clinician's active links, most pressing first: patients with a current run not yet
    assessed or an unruled warning sign first, by the level of the most pressing of them
    (urgent, today, visit; a warning sign counts as today), then unanswered before answered at
    that level, then the next appointment, then the name. Sorted and filtered in the database
    (the key is kept in each patient's diary state, diary.services.prompts.dashboard_key)."""
    links = CareLink.objects.filter(
        clinician=clinician, status=LinkStatus.ACTIVE, patient__email_verified_at__isnull=False
    )  # a patient who has not confirmed their address is not shown (accounts.sharing.may_share)
    if name.strip():
        links = links.filter(patient__full_name__icontains=name.strip())
    return links.select_related(
        "patient", "patient__health_profile", "patient__diary_state"
    ).order_by(
        Coalesce("patient__diary_state__top_level", NOTHING_PRESSING),
        Coalesce("patient__diary_state__top_state", NOTHING_PRESSING),
        F("next_appointment").asc(nulls_last=True),
        Lower("patient__full_name"),
        "pk",
    )


def dashboard_rows(links: list[CareLink]) -> list[DashboardRow]:
    """The rows of one page of links (two queries, whatever the page's size)."""
    patients = [link.patient_id for link in links]
    runs = defaultdict(list)
    for run in Prompt.objects.filter(patient__in=patients, ended__isnull=True):
        runs[run.patient_id].append(run)
    new_nights = dict(
        CareLink.objects.filter(pk__in=[link.pk for link in links])
        .annotate(
            changed=Count(
                "patient__nights",
                filter=Q(last_reviewed_at__isnull=True)
                | Q(patient__nights__updated_at__gt=F("last_reviewed_at")),
            )
        )
        .values_list("pk", "changed")
    )
    return [
        DashboardRow(
            link=link,
            prompts=sorted(runs[link.patient_id], key=pressing_order),
            new_nights=new_nights.get(link.pk, 0),
        )
        for link in links
    ]


def dashboard_page(*, clinician, name: str, number, per_page: int) -> Page:
    """One page of the dashboard: the links paged in the database, then the page's rows read."""
    page = Paginator(dashboard_links(clinician=clinician, name=name), per_page).get_page(number)
    page.object_list = dashboard_rows(list(page.object_list))
    return page
