"""What a clinician sees: the dashboard of patients sharing their diary, most pressing first.

It reads stored state only, never evaluating the rules on page load: each patient's diary state
(kept current by every diary change, answer and assessment, and by `refresh_prompts`) holds the
most pressing prompt's state and level, the last 14 nights' counts and the last night logged.
The database filters, sorts and pages the links by their key (a page starts after, or ends
before, one patient of the list: never at an offset), then reads only the page's patients: a
page costs the same for 50 patients or 5,000, and the fiftieth page what the first costs.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db.models import (
    BooleanField,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower

from accounts.models import CareLink, LinkStatus
from diary.models import NOTHING_PRESSING, Night, Prompt
from diary.services.prompts import pressing_order

# "New since my last review" counts this many nights at most, then says "99+": a row reads at
# most one more entry of the nights' index on (patient, last changed), however long the diary.
NEW_NIGHTS_SHOWN = 99
BEFORE_ANY_NIGHT = datetime(1900, 1, 1, tzinfo=UTC)  # a link never reviewed counts every night


@dataclass
class DashboardRow:
    link: CareLink
    prompts: list[Prompt]  # current runs, most pressing first
    new_nights: int  # nights added or changed since the last review, up to NEW_NIGHTS_SHOWN + 1

    @property
    def patient(self):
        return self.link.patient

    @property
    def state(self):
        return getattr(self.patient, "diary_state", None)

    @property
    def more_new_nights(self) -> bool:
        """More nights changed than the dashboard counts (shown as "99+")."""
        return self.new_nights > NEW_NIGHTS_SHOWN

    @property
    def new_nights_shown(self) -> int:
        return min(self.new_nights, NEW_NIGHTS_SHOWN)

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


@dataclass
class DashboardPage:
    rows: list[DashboardRow]
    count: int  # the patients found, on all pages
    after: str  # the public id of the last row's patient when a page follows, else ""
    before: str  # the public id of the first row's patient when a page precedes, else ""


def _sort_key() -> dict:
    """The dashboard's order, by name: the level and state kept in the diary state
    (diary.services.prompts.dashboard_key), the next appointment (none last), the name, and the
    link, which settles ties. No part is ever NULL, so that two keys compare as wholes."""
    return {
        "key_level": Coalesce("patient__diary_state__top_level", NOTHING_PRESSING),
        "key_state": Coalesce("patient__diary_state__top_state", NOTHING_PRESSING),
        "key_appointment": Coalesce("next_appointment", Value(date.max)),
        "key_name": Lower("patient__full_name"),
        "key_link": F("pk"),
    }


KEY = tuple(_sort_key())


class _Beyond(Func):
    """Whether a link's key (KEY, aliased on the query) comes after (">") or before ("<") the
    key of one link, given as a queryset of one row of the key's values: a row-value
    comparison, which PostgreSQL and SQLite both have. When the queryset finds no link, the
    comparison is NULL and no link passes."""

    output_field = BooleanField()

    def __init__(self, anchor: QuerySet, operator: str):
        if operator not in (">", "<"):
            raise ValueError(operator)
        self.operator = operator
        row = Subquery(anchor, output_field=IntegerField())  # the type is never read
        super().__init__(*(F(name) for name in KEY), row)

    def as_sql(self, compiler, connection, **extra_context):
        *key, row = self.get_source_expressions()
        parts, params = [], []
        for expression in (*key, row):
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        return f"({', '.join(parts[:-1])}) {self.operator} {parts[-1]}", params


def _active_links(clinician) -> QuerySet:
    # A patient who has not confirmed their address is not shown (accounts.sharing.may_share).
    return CareLink.objects.filter(
        clinician=clinician, status=LinkStatus.ACTIVE, patient__email_verified_at__isnull=False
    )


def dashboard_links(*, clinician, search: str = "") -> QuerySet:
    """The clinician's active links, most pressing first: patients with a current run not yet
    assessed or an unruled warning sign first, by the level of the most pressing of them
    (urgent, today, visit; a warning sign counts as today), then unanswered before answered at
    that level, then the next appointment, then the name. Sorted and filtered in the database
    (the key is kept in each patient's diary state, diary.services.prompts.dashboard_key).
    `search`: part of the patient's name or of the record number, in any case."""
    return _found(clinician, search).alias(**_sort_key()).order_by(*KEY)


def _found(clinician, search: str) -> QuerySet:
    links = _active_links(clinician)
    term = search.strip()
    if term:
        # A branch a table, so that PostgreSQL can use each one's trigram index (migration
        # 0015): one OR across the two tables would be tested on every link of the clinician.
        named = links.filter(patient__full_name__icontains=term).values("pk")
        numbered = links.filter(record_number__icontains=term).values("pk")
        links = links.filter(pk__in=named.union(numbered))
    return links


class _Counted(Subquery):
    """The number of rows a (limited) subquery gives."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def _new_nights() -> Subquery:
    """Per link: the patient's nights changed since the link's last review (every night when it
    was never reviewed), counted up to NEW_NIGHTS_SHOWN + 1 on the index (patient, updated_at)."""
    return _Counted(
        Night.objects.filter(
            patient=OuterRef("patient"),
            updated_at__gt=Coalesce(OuterRef("last_reviewed_at"), Value(BEFORE_ANY_NIGHT)),
        )
        .order_by()
        .values("patient")[: NEW_NIGHTS_SHOWN + 1]
    )


# What a row shows, and no more: a profile's and a state's other fields (some of them JSON) cost
# a page a few milliseconds to read.
ROW_FIELDS = (
    "patient_id",
    "record_number",
    "next_appointment",
    "patient__full_name",
    "patient__public_id",
    "patient__health_profile__date_of_birth",
    "patient__diary_state__unruled_warning_sign",
    "patient__diary_state__recent_nights_logged",
    "patient__diary_state__recent_cramp_nights",
    "patient__diary_state__last_logged",
)


def _page_links(
    links: QuerySet, *, clinician, anchor: str, forward: bool, size: int
) -> list[CareLink]:
    """Up to `size` of `links` after (forward) or before the patient `anchor` (the first ones
    when it is ""), in the dashboard's order, ready for the rows: chosen on the key's columns
    alone, then only those links read in full, with their new nights (one query)."""
    if anchor:
        key_of_anchor = (
            _active_links(clinician)
            .filter(patient__public_id=anchor)
            .annotate(**_sort_key())
            .values(*KEY)
        )
        links = links.filter(_Beyond(key_of_anchor, ">" if forward else "<"))
    chosen = (links if forward else links.reverse()).values("pk")[:size]
    return list(
        CareLink.objects.filter(pk__in=chosen)
        .select_related("patient", "patient__health_profile", "patient__diary_state")
        .only(*ROW_FIELDS)
        .annotate(new_nights=_new_nights())
        .alias(**_sort_key())
        .order_by(*KEY)
    )


def _rows(links: list[CareLink]) -> list[DashboardRow]:
    """The rows of a page of links from _page_links (one query, whatever the page's size)."""
    runs = defaultdict(list)
    patients = [link.patient_id for link in links]
    for run in Prompt.objects.filter(patient__in=patients, ended__isnull=True):
        runs[run.patient_id].append(run)
    return [
        DashboardRow(
            link=link,
            prompts=sorted(runs[link.patient_id], key=pressing_order),
            new_nights=link.new_nights,
        )
        for link in links
    ]


def dashboard_page(
    *, clinician, search: str = "", after: str = "", before: str = "", per_page: int
) -> DashboardPage:
    """A page of the dashboard: the links after the patient `after` or before the patient
    `before` (public ids), or the first page when neither is given, or when the one given ends
    no page of this list (another search, a stale or tampered address). Three queries, a fourth
    for the first page when the one asked for is empty."""
    links = dashboard_links(clinician=clinician, search=search)
    anchor, forward = (after, True) if after else (before, False)
    size = per_page + 1  # one more tells whether a page follows (or precedes)
    page = []
    if anchor:
        page = _page_links(links, clinician=clinician, anchor=anchor, forward=forward, size=size)
    if not page:  # the first page: asked for, or instead of an empty one
        anchor, forward = "", True
        page = _page_links(links, clinician=clinician, anchor="", forward=True, size=size)
    more = len(page) > per_page
    if forward:
        page, has_previous, has_next = page[:per_page], bool(anchor), more
    else:  # read backwards: the row too many is the first
        page, has_previous, has_next = page[1:] if more else page, more, True
    return DashboardPage(
        rows=_rows(page),
        count=_found(clinician, search).count(),  # joins the patients only
        after=page[-1].patient.public_id if has_next else "",
        before=page[0].patient.public_id if has_previous else "",
    )
