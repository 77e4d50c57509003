"""The triage rules run against patients' diaries, and their stored runs brought up to date.

One patient (a save, a page's first visit of the day: diary.services.prompts) and a batch of
patients (`manage.py refresh_prompts`) go through the same code, `prompts_refresh_batch`: what
the rules and the runs' life cycle read is read for the whole batch at once (a fixed number of
queries, whatever the batch's size), each patient's runs are planned on their own
(diary.domain.runs), and the changes are written in a few statements for the batch. The callers
hold the patients' diary locks. The dashboard's state is written beside the runs
(diary.services.dashboard_states).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q

from diary.domain import runs, triage, verdicts
from diary.domain.records import NightRecord
from diary.models import HealthProfile, Night, Prompt, Treatment, night_records
from diary.services.dashboard_states import dashboard_states_write, rows_update
from diary.services.dates import patient_today

REVIEWED_RULES = tuple(rule.id for rule in triage.REGISTRY.values() if rule.reviewed)


def thresholds() -> triage.Thresholds:
    """The registry's defaults with settings.TRIAGE_THRESHOLDS over them (keys checked at
    start-up, diary.checks)."""
    return triage.Thresholds(**settings.TRIAGE_THRESHOLDS)


def health_facts(
    profile: HealthProfile | None, treatments: tuple = (), quinine_reviewed: date | None = None
) -> triage.HealthFacts:
    if profile is None:
        return triage.HealthFacts(treatments=tuple(treatments), quinine_reviewed=quinine_reviewed)
    return triage.HealthFacts(
        venous_disease=profile.venous_disease,
        peripheral_artery_disease=profile.peripheral_artery_disease,
        pregnant=profile.pregnant,
        pregnancy_date=profile.pregnancy_date,
        kidney_disease=profile.kidney_disease,
        heart_failure=profile.heart_failure,
        date_of_birth=profile.date_of_birth,
        medications=profile.medications,
        treatments=tuple(treatments),
        quinine_reviewed=quinine_reviewed,
    )


def _quinine_reviews(patients: list) -> dict[int, date]:
    """Each patient's day of the last review of quinine: a quinine_review run (any rules
    version) answered "I have booked a visit" or "My doctor already knows about this", or
    assessed (one query)."""
    by_id = {patient.pk: patient for patient in patients}
    reviewed = Prompt.objects.filter(patient_id__in=by_id, rule__in=REVIEWED_RULES).filter(
        Q(acknowledgement__in=runs.HOLDING_BACK) | Q(assessed_at__isnull=False)
    )
    days = defaultdict(list)
    for patient_id, acknowledged, assessed, answer in reviewed.values_list(
        "patient_id", "acknowledged_at", "assessed_at", "acknowledgement"
    ):
        if acknowledged and answer in runs.HOLDING_BACK:
            days[patient_id].append(patient_today(by_id[patient_id], acknowledged))
        if assessed:
            days[patient_id].append(patient_today(by_id[patient_id], assessed))
    return {patient_id: max(each) for patient_id, each in days.items()}


def quinine_reviewed(patient) -> date | None:
    """The patient's day of the last review of quinine (see _quinine_reviews)."""
    return _quinine_reviews([patient]).get(patient.pk)


def _facts_of(patients: list) -> dict[int, triage.HealthFacts]:
    """What the rules read besides the nights, by patient id: the profile, the treatments and,
    for a patient who has taken quinine, the last review of it (two queries, three when one of
    them has taken quinine)."""
    ids = [patient.pk for patient in patients]
    profiles = {row.patient_id: row for row in HealthProfile.objects.filter(patient_id__in=ids)}
    treatments = defaultdict(list)
    for row in Treatment.objects.filter(patient_id__in=ids):  # oldest start first
        treatments[row.patient_id].append(row.to_record())
    takers = [p for p in patients if any(t.kind == "quinine" for t in treatments[p.pk])]
    reviewed = _quinine_reviews(takers) if takers else {}
    return {
        patient.pk: health_facts(
            profiles.get(patient.pk), treatments[patient.pk], reviewed.get(patient.pk)
        )
        for patient in patients
    }


def _ranges(today: date, rules, facts: triage.HealthFacts) -> list[tuple[date, date]]:
    """The nights the rules read for `today`: the rules' windows back from today first, then
    the verdict windows of quinine whose review is due; none from today on."""
    last_night = today - timedelta(days=1)
    ranges = [(today - timedelta(days=triage.lookback_nights(rules)), last_night)]
    ranges += [
        verdicts.nights_read(treatment, last_night)
        for treatment in facts.treatments
        if triage.quinine_due(treatment, today, rules)
    ]
    return [(first, min(last, last_night)) for first, last in ranges]


def _nights_of(due: list, facts: dict, rules) -> dict[int, list[NightRecord]]:
    """The nights the rules read for each (patient, today) of `due`, oldest first, by patient id
    (two queries): one span of dates covering every patient's window, each patient's quinine
    verdict windows besides, then each patient's own ranges picked out."""
    ranges = {patient.pk: _ranges(today, rules, facts[patient.pk]) for patient, today in due}
    windows = [each[0] for each in ranges.values()]
    span = (min(first for first, _ in windows), max(last for _, last in windows))
    within = reduce(
        or_,
        (
            Q(patient_id=patient_id, date__range=extra)
            for patient_id, (_window, *more) in ranges.items()
            for extra in more
        ),
        Q(patient_id__in=list(ranges), date__range=span),
    )
    read = defaultdict(list)
    for patient_id, record in night_records(Night.objects.filter(within)):
        if any(first <= record.night <= last for first, last in ranges[patient_id]):
            read[patient_id].append(record)
    return read


def _findings_on(patient, facts: triage.HealthFacts, today: date, rules) -> list:
    nights = _nights_of([(patient, today)], {patient.pk: facts}, rules)[patient.pk]
    return triage.evaluate(facts, nights, today, rules)


def nights_read(*, patient, today: date) -> list[NightRecord]:
    """The nights in the rules' windows back from `today`, oldest first (two queries)."""
    facts = triage.HealthFacts()
    return _nights_of([(patient, today)], {patient.pk: facts}, thresholds())[patient.pk]


def prompts_firing(*, patient, today: date) -> list[triage.Finding]:
    """The findings for `today`, without storing anything (four queries)."""
    rules = thresholds()
    return _findings_on(patient, _facts_of([patient])[patient.pk], today, rules)


def _run(prompt: Prompt) -> runs.Run:
    return runs.Run(
        id=prompt.pk,
        rule=prompt.rule,
        level=prompt.level,
        last_fired=prompt.last_fired,
        dealt_with=bool(prompt.acknowledged_at or prompt.assessed_at),
        seen_evidence=frozenset(date.fromisoformat(night) for night in prompt.seen_evidence),
    )


def _finding_values(finding: triage.Finding, today: date) -> dict:
    return {
        "level": finding.level,
        "figures": finding.figures,
        "evidence": [night.isoformat() for night in finding.evidence],
        "last_fired": today,
        "firing": True,
    }


UPDATED = ("level", "figures", "evidence", "last_fired", "firing")  # _finding_values' keys
ENDED = ("ended", "end_reason", "firing")


@dataclass
class _Diary:
    """One patient of a batch: what was read, and then what the refresh decided."""

    patient: object
    today: date
    facts: triage.HealthFacts
    current: list  # the current runs (Prompt rows)
    records: list  # the nights the rules read
    findings: list
    logged: set | None = None  # the logged nights since a lapsed visit run last fired
    plan: runs.Plan = field(default_factory=runs.Plan)


def prompts_refresh_batch(*, due: list, diary_changed: bool = False) -> None:
    """Brings the stored runs of each (patient, today) of `due` up to date for that day (see
    diary.domain.runs), and the dashboard's state with them. The caller holds the patients'
    diary locks. Reads and writes a fixed number of queries for the batch (about a dozen);
    `diary_changed` (one patient after a change to their diary) reads the nights again for
    each unanswered run that stopped firing."""
    rules = thresholds()
    ids = [patient.pk for patient, _today in due]
    facts = _facts_of([patient for patient, _today in due])
    current = defaultdict(list)
    for run in Prompt.objects.select_for_update().filter(patient_id__in=ids, ended__isnull=True):
        current[run.patient_id].append(run)
    nights = _nights_of(due, facts, rules)
    diaries = []
    for patient, today in due:
        records, facts_of = nights[patient.pk], facts[patient.pk]
        findings = triage.evaluate(facts_of, records, today, rules)
        diaries.append(_Diary(patient, today, facts_of, current[patient.pk], records, findings))
    _read_logged(diaries)
    held_back = _held_back(diaries)
    for diary in diaries:
        still_fired = _still_fired(diary, rules) if diary_changed else set()
        diary.plan = runs.plan(
            [_run(prompt) for prompt in diary.current],
            diary.findings,
            today=diary.today,
            diary_changed=diary_changed,
            held_back=held_back[diary.patient.pk],
            still_fired_when_last_seen=still_fired,
            logged=diary.logged,
            end_when_reviewed=REVIEWED_RULES,
        )
    _write(diaries)
    dashboard_states_write(
        [(diary.patient, diary.today, diary.current, diary.records) for diary in diaries],
        rules=rules,
        evaluated=True,
    )


def _still_fired(diary: _Diary, rules) -> set[str]:
    """The rules of unanswered urgent or today runs that no longer fire but still fire, with
    the diary as it is now, on the run's last firing day."""
    fired = {finding.rule for finding in diary.findings}
    still = set()
    for run in diary.current:
        dealt_with = run.acknowledged_at or run.assessed_at
        if run.rule in fired or run.is_visit or dealt_with or run.last_fired >= diary.today:
            continue
        then = _findings_on(diary.patient, diary.facts, run.last_fired, rules)
        if any(finding.rule == run.rule for finding in then):
            still.add(run.rule)
    return still


def _held_back(diaries: list[_Diary]) -> dict[int, set[str]]:
    """The visit rules each patient held back lately: runs answered "I have booked a visit" or
    "My doctor already knows about this" that ended in the last 28 days (one query)."""
    days = timedelta(days=runs.BOOKED_VISIT_HOLD_BACK_DAYS)
    since = {diary.patient.pk: diary.today - days for diary in diaries}
    held = Prompt.objects.filter(
        patient_id__in=since, acknowledgement__in=runs.HOLDING_BACK, ended__gte=min(since.values())
    )
    held_back = defaultdict(set)
    for patient_id, rule, ended in held.values_list("patient_id", "rule", "ended"):
        if ended >= since[patient_id]:
            held_back[patient_id].add(rule)
    return held_back


def _read_logged(diaries: list[_Diary]) -> None:
    """For each patient with a visit run that no longer fires, the logged nights since the
    oldest last firing of such a run (for its 7 logged days); None for the others. The nights
    read for the rules when they reach that far back, else one query for all of them."""
    further = {}
    for diary in diaries:
        fired = {finding.rule for finding in diary.findings}
        lapsed = [run.last_fired for run in diary.current if run.is_visit and run.rule not in fired]
        if not lapsed:
            continue
        first = min(lapsed)
        diary.logged = {record.night for record in diary.records if record.night >= first}
        if not diary.records or min(record.night for record in diary.records) > first:
            further[diary.patient.pk] = (diary, first)
    if not further:
        return
    between = reduce(
        or_,
        (
            Q(patient_id=patient_id, date__gte=first, date__lt=diary.today)
            for patient_id, (diary, first) in further.items()
        ),
    )
    for patient_id, night in Night.objects.filter(between).values_list("patient_id", "date"):
        further[patient_id][0].logged.add(night)


def _write(diaries: list[_Diary]) -> None:
    """The plans' changes in four statements at most (the runs that end, those that fire again,
    those that lapse, and the new ones: in that order, so that a run that ends for new evidence
    makes way for its successor); each diary's `current` becomes its runs as they now are."""
    ended, updated, lapsed, started = [], [], [], []
    for diary in diaries:
        by_id = {prompt.pk: prompt for prompt in diary.current}
        for run, reason in diary.plan.end:
            prompt = by_id.pop(run.id)
            prompt.ended, prompt.end_reason, prompt.firing = diary.today, reason, False
            ended.append(prompt)
        for run, finding in diary.plan.update:
            prompt = by_id[run.id]
            for name, value in _finding_values(finding, diary.today).items():
                setattr(prompt, name, value)
            updated.append(prompt)
        for run in diary.plan.lapse:
            lapsed.append(run.id)
            by_id[run.id].firing = False
        new = [
            Prompt(
                patient=diary.patient,
                rule=finding.rule,
                first_raised=diary.today,
                **_finding_values(finding, diary.today),
            )
            for finding in diary.plan.start
        ]
        started += new
        diary.current = [*by_id.values(), *new]
    rows_update(ended, ENDED)
    rows_update(updated, UPDATED)
    if lapsed:
        Prompt.objects.filter(pk__in=lapsed, firing=True).update(firing=False)
    Prompt.objects.bulk_create(started)
