"""Stored prompts: the triage rules run against a patient's diary, and the runs kept current.

Every write to a patient's nights or profile calls diary_changed, which brings the runs up to
date for the patient's today; pages call current_prompts, which does the same when the runs were
last brought up to date for an earlier day, and `manage.py refresh_prompts` does it for every
patient whose day has moved on. The life cycle itself is diary.domain.runs (plain data).
"""

from dataclasses import dataclass
from datetime import UTC, date, timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role, User
from diary.domain import prompt_box as prompt_box_domain
from diary.domain import runs, triage, verdicts
from diary.models import (
    NOTHING_PRESSING,
    Acknowledgement,
    DiaryState,
    EndReason,
    HealthProfile,
    Night,
    Prompt,
    night_records,
    treatment_records,
)
from diary.services.dates import patient_today

LEVEL_ORDER = {level: index for index, level in enumerate(triage.LEVELS)}


def diary_lock(patient) -> None:
    """Takes the patient's diary lock until the end of the transaction: every write to a diary
    (save, delete, undo, import, profile, prompt refresh) takes it first, so that two requests
    for one patient run one after the other instead of tripping over each other's rows."""
    list(User.objects.select_for_update().filter(pk=patient.pk).values_list("pk", flat=True))


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


REVIEWED_RULES = tuple(rule.id for rule in triage.REGISTRY.values() if rule.reviewed)


def quinine_reviewed(patient) -> date | None:
    """The patient's day of the last review of quinine: a quinine_review run (any rules version)
    answered "I have booked a visit" or "My doctor already knows about this", or assessed."""
    reviewed = Prompt.objects.filter(patient=patient, rule__in=REVIEWED_RULES).filter(
        Q(acknowledgement__in=runs.HOLDING_BACK) | Q(assessed_at__isnull=False)
    )
    days = []
    for acknowledged, assessed, answer in reviewed.values_list(
        "acknowledged_at", "assessed_at", "acknowledgement"
    ):
        if acknowledged and answer in runs.HOLDING_BACK:
            days.append(patient_today(patient, acknowledged))
        if assessed:
            days.append(patient_today(patient, assessed))
    return max(days, default=None)


def _facts(patient) -> triage.HealthFacts:
    """What the rules read besides the nights: the profile, the treatments and, for a patient
    who has taken quinine, the last review of it (two queries, three with quinine)."""
    profile = HealthProfile.objects.filter(patient=patient).first()
    treatments = treatment_records(patient)
    taken = any(treatment.kind == "quinine" for treatment in treatments)
    return health_facts(profile, treatments, quinine_reviewed(patient) if taken else None)


def _nights_before(patient, today: date, rules, facts: triage.HealthFacts) -> list:
    """The nights the rules read for `today`, oldest first (two queries): the rules' windows
    back from today, and the verdict windows of quinine whose review is due."""
    last_night = today - timedelta(days=1)
    ranges = [(today - timedelta(days=triage.lookback_nights(rules)), last_night)]
    ranges += [
        verdicts.nights_read(treatment, last_night)
        for treatment in facts.treatments
        if triage.quinine_due(treatment, today, rules)
    ]
    within = reduce(or_, (Q(date__range=(first, min(last, last_night))) for first, last in ranges))
    nights = Night.objects.filter(patient=patient).filter(within)
    return [record for _patient, record in night_records(nights)]


def _findings(patient, facts, today: date, rules) -> list[triage.Finding]:
    return triage.evaluate(facts, _nights_before(patient, today, rules, facts), today, rules)


def prompts_firing(*, patient, today: date) -> list[triage.Finding]:
    """The findings for `today`, without storing anything (four queries)."""
    return _findings(patient, _facts(patient), today, thresholds())


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


@transaction.atomic
def prompts_refresh(*, patient, today: date, diary_changed: bool = False) -> None:
    """Brings the patient's stored runs up to date for `today` (see diary.domain.runs)."""
    diary_lock(patient)
    rules = thresholds()
    facts = _facts(patient)
    current = list(Prompt.objects.select_for_update().filter(patient=patient, ended__isnull=True))
    records = _nights_before(patient, today, rules, facts)
    findings = triage.evaluate(facts, records, today, rules)
    fired = {finding.rule for finding in findings}
    still_fired = set()
    if diary_changed:
        for run in current:
            dealt_with = run.acknowledged_at or run.assessed_at
            if run.rule in fired or run.is_visit or dealt_with or run.last_fired >= today:
                continue
            then = _findings(patient, facts, run.last_fired, rules)
            if any(finding.rule == run.rule for finding in then):
                still_fired.add(run.rule)
    held_back = set(
        Prompt.objects.filter(
            patient=patient,
            acknowledgement__in=runs.HOLDING_BACK,
            ended__gte=today - timedelta(days=runs.BOOKED_VISIT_HOLD_BACK_DAYS),
        ).values_list("rule", flat=True)
    )
    plan = runs.plan(
        [_run(prompt) for prompt in current],
        findings,
        today=today,
        diary_changed=diary_changed,
        held_back=held_back,
        still_fired_when_last_seen=still_fired,
        logged=_logged_since(patient, current, fired, records, today),
        end_when_reviewed=REVIEWED_RULES,
    )
    for run, reason in plan.end:
        Prompt.objects.filter(pk=run.id).update(ended=today, end_reason=reason, firing=False)
    for run, finding in plan.update:
        Prompt.objects.filter(pk=run.id).update(**_finding_values(finding, today))
    lapsed = [run.id for run in plan.lapse]
    Prompt.objects.filter(pk__in=lapsed, firing=True).update(firing=False)
    Prompt.objects.bulk_create(
        Prompt(
            patient=patient,
            rule=finding.rule,
            first_raised=today,
            **_finding_values(finding, today),
        )
        for finding in plan.start
    )
    dashboard_state_update(patient=patient, today=today, evaluated_for=today, records=records)


def _logged_since(patient, current, fired, records, today: date) -> set[date] | None:
    """The logged nights since the oldest last firing of a visit run that no longer fires (for
    its 7 logged days), or None when there is none."""
    lapsed = [run.last_fired for run in current if run.is_visit and run.rule not in fired]
    if not lapsed:
        return None
    first = min(lapsed)
    logged = {record.night for record in records if record.night >= first}
    if not records or min(record.night for record in records) > first:
        logged |= set(
            Night.objects.filter(patient=patient, date__gte=first, date__lt=today).values_list(
                "date", flat=True
            )
        )
    return logged


@transaction.atomic
def diary_changed(*, patient) -> None:
    """After any change to a patient's nights or profile: a new version, runs brought up to date."""
    diary_lock(patient)
    bumped = DiaryState.objects.filter(patient=patient).update(version=F("version") + 1)
    if not bumped:
        DiaryState.objects.create(patient=patient, version=1)
    prompts_refresh(patient=patient, today=patient_today(patient), diary_changed=True)
    # Imported here: reports reads the treatments, whose module imports this one.
    from diary.services.reports import charts_ahead_queue

    charts_ahead_queue(patient)


RECENT_NIGHTS = 14  # the dashboard's "last 14 nights"
STATE_ORDER = {"new": 0, "acknowledged": 1, "assessed": 2}


def dashboard_state_update(
    *, patient, today: date, evaluated_for: date | None = None, records: list | None = None
) -> None:
    """Keeps what the clinician's dashboard shows and sorts by beside the runs: the most
    pressing current run's state and level, the last 14 nights' counts and the last night
    logged. `records`: the nights before today the rules just read, when at hand."""
    current = list(Prompt.objects.filter(patient=patient, ended__isnull=True))
    rules = thresholds()
    if records is None:
        records = _nights_before(patient, today, rules, triage.HealthFacts())
    # Only the rules' own windows back from today (not a quinine verdict's older nights).
    first_read = today - timedelta(days=triage.lookback_nights(rules))
    records = [record for record in records if record.night >= first_read]
    first_recent = today - timedelta(days=RECENT_NIGHTS)
    recent = [record for record in records if first_recent <= record.night < today]
    last_logged = max((record.night for record in records), default=None)
    if last_logged is None:  # nothing in the rules' window: look further back
        last_logged = Night.objects.filter(patient=patient).aggregate(last=Max("date"))["last"]
    unruled = unruled_warning_nights(
        patient=patient, recent=recent, current=current, since=first_recent
    )
    top_level, top_state = dashboard_key(current, bool(unruled))
    values = {
        "top_state": top_state,
        "top_level": top_level,
        "unruled_warning_sign": bool(unruled),
        "recent_nights_logged": len(recent),
        "recent_cramp_nights": sum(record.is_cramp_night for record in recent),
        "last_logged": last_logged,
    }
    if evaluated_for is not None:
        values["prompts_evaluated_for"] = evaluated_for
    DiaryState.objects.update_or_create(patient=patient, defaults=values)


def unruled_warning_nights(*, patient, recent, current, since: date) -> list[date]:
    """The nights among `recent` with a warning sign ticked that are in no run's evidence (a
    current run, or one that ended since `since`) and that no clinician has marked seen (two
    queries, none when no recent night has a warning sign)."""
    flagged = [record.night for record in recent if record.red_flags]
    if not flagged:
        return []
    seen = (
        DiaryState.objects.filter(patient=patient)
        .values_list("warning_signs_seen", flat=True)
        .first()
        or []
    )
    ended = Prompt.objects.filter(patient=patient, ended__gte=since).values_list(
        "evidence", flat=True
    )
    in_evidence = {night for run in current for night in run.evidence}
    in_evidence.update(night for evidence in ended for night in evidence)
    return [
        night
        for night in flagged
        if night.isoformat() not in in_evidence and night.isoformat() not in seen
    ]


def dashboard_key(current: list[Prompt], unruled_warning_sign: bool) -> tuple[int, int]:
    """(level, state) for the dashboard: the level of the most pressing current run not yet
    assessed (an unruled warning sign counts as today), and 0 when a run at that level is
    unanswered (or it is a warning sign), 1 when every one is answered."""
    waiting = [run for run in current if not run.assessed_at]
    levels = [LEVEL_ORDER[run.level] for run in waiting]
    if unruled_warning_sign:
        levels.append(LEVEL_ORDER[runs.TODAY])
    if not levels:
        return NOTHING_PRESSING, NOTHING_PRESSING
    level = min(levels)
    unanswered = any(
        LEVEL_ORDER[run.level] == level and not run.acknowledged_at for run in waiting
    ) or (unruled_warning_sign and level == LEVEL_ORDER[runs.TODAY])
    return level, 0 if unanswered else 1


def level_order(run: Prompt) -> tuple:
    """By level (urgent, today, visit), then the registry's order: how a summary lists them."""
    rule = triage.RULE_IDS.index(run.rule) if run.rule in triage.RULE_IDS else len(triage.RULES)
    return (LEVEL_ORDER.get(run.level, len(LEVEL_ORDER)), rule)


def pressing_order(run: Prompt) -> tuple:
    """Most pressing first: not yet dealt with, then by level, then the oldest."""
    state = STATE_ORDER[run.state]
    rule = triage.RULE_IDS.index(run.rule) if run.rule in triage.RULE_IDS else len(triage.RULES)
    return (state, LEVEL_ORDER.get(run.level, len(LEVEL_ORDER)), run.first_raised, rule)


@dataclass(frozen=True)
class PromptBox:
    """The prompt box of a patient page (diary.domain.prompt_box): the most pressing level with
    unanswered runs, each reason line with its run; None of it when every run is answered."""

    box: prompt_box_domain.Box | None
    lines: list[tuple[str, Prompt]]  # (the reason's own action or "", the run)

    def __bool__(self):
        return self.box is not None

    @property
    def choices(self) -> list[Acknowledgement]:
        return [Acknowledgement(answer) for answer in self.box.answers] if self.box else []


def _shown(run: Prompt) -> prompt_box_domain.ShownRun:
    return prompt_box_domain.ShownRun(id=run.pk, rule=run.rule, level=run.level, past=run.is_past)


def prompt_box(current: list[Prompt]) -> PromptBox:
    """The box for `current` (current_prompts): only runs neither answered nor assessed."""
    unanswered = {run.pk: run for run in current if run.state == "new"}
    box = prompt_box_domain.box(_shown(run) for run in unanswered.values())
    if box is None:
        return PromptBox(None, [])
    return PromptBox(box, [(reason.action, unanswered[reason.run.id]) for reason in box.reasons])


def _refresh_if_stale(patient) -> None:
    today = patient_today(patient)
    evaluated_for = (
        DiaryState.objects.filter(patient=patient)
        .values_list("prompts_evaluated_for", flat=True)
        .first()
    )
    if evaluated_for != today:
        prompts_refresh(patient=patient, today=today)


def current_prompts(patient) -> list[Prompt]:
    """The patient's current runs, most pressing first (brought up to date if stale)."""
    _refresh_if_stale(patient)
    return sorted(
        Prompt.objects.filter(patient=patient, ended__isnull=True).select_related("assessed_by"),
        key=pressing_order,
    )


@transaction.atomic
def prompt_acknowledge(*, patient, run_id: int, answer: str) -> Prompt:
    """The patient's answer to a current run; 404 for anyone else's run or one that ended.

    An answer the run does not offer raises ValueError. A run whose rule no longer fires ends
    with its acknowledgement; one that still fires stays current as one line.
    """
    diary_lock(patient)
    _refresh_if_stale(patient)  # the page may have been loaded on an earlier day
    run = get_object_or_404(
        Prompt.objects.select_for_update(), pk=run_id, patient=patient, ended__isnull=True
    )
    if answer not in run.acknowledgement_choices:
        raise ValueError(f"{answer!r} is not an answer to a {run.level} prompt")
    if run.acknowledged_at is None:
        run.acknowledged_at = timezone.now()
        run.acknowledgement = answer
        run.seen_evidence = sorted(set(run.seen_evidence) | set(run.evidence))
        reviewed = run.rule in REVIEWED_RULES and answer in runs.HOLDING_BACK
        # A visit run ends 7 logged days after it stopped; a reviewed one ends now.
        if (not run.firing and not run.is_visit) or reviewed:
            run.ended = patient_today(patient)
            run.end_reason = EndReason.ACKNOWLEDGED
        run.save()
        dashboard_state_update(patient=patient, today=patient_today(patient))
    return run


class AnswerRefused(ValueError):
    """An answer the level does not offer, or run ids that are not the patient's current runs
    of that level: nothing is changed."""


@transaction.atomic
def prompt_answer_level(*, patient, level: str, run_ids: list[int], answer: str) -> int:
    """One answer for a level, covering the runs the page showed (`run_ids`) that are still
    current and unanswered; never a run raised after the page was drawn. Returns how many runs
    it answered. Ids of anyone else's runs, or of another level, refuse the whole answer."""
    diary_lock(patient)
    _refresh_if_stale(patient)  # the page may have been loaded on an earlier day
    if level not in runs.LEVELS or not run_ids:
        raise AnswerRefused("no level or no runs")
    asked = set(run_ids)
    mine = list(
        Prompt.objects.select_for_update().filter(pk__in=asked, patient=patient, level=level)
    )
    if {run.pk for run in mine} != asked:
        raise AnswerRefused("runs that are not the patient's runs of this level")
    open_runs = [
        run for run in mine if run.ended is None and not run.acknowledged_at and not run.assessed_at
    ]
    can_pass = all(triage.can_pass(run.rule) for run in open_runs)
    if answer not in runs.answers(level, can_pass):
        raise AnswerRefused(f"{answer!r} is not an answer to these {level} prompts")
    now, today = timezone.now(), patient_today(patient)
    for run in open_runs:
        run.acknowledged_at = now
        run.acknowledgement = answer
        run.seen_evidence = sorted(set(run.seen_evidence) | set(run.evidence))
        reviewed = run.rule in REVIEWED_RULES and answer in runs.HOLDING_BACK
        if (not run.firing and not run.is_visit) or reviewed:
            run.ended = today
            run.end_reason = EndReason.ACKNOWLEDGED
        run.save()
    if open_runs:
        dashboard_state_update(patient=patient, today=today)
    return len(open_runs)


@transaction.atomic
def prompt_assess(*, clinician, patient, run_id: int) -> Prompt:
    """A clinician has seen a current run: the patient sees a calm line from now on."""
    diary_lock(patient)
    run = get_object_or_404(
        Prompt.objects.select_for_update(), pk=run_id, patient=patient, ended__isnull=True
    )
    if run.assessed_at is None:
        run.assessed_at = timezone.now()
        run.assessed_by = clinician
        run.assessed_by_name = clinician.full_name
        run.seen_evidence = sorted(set(run.seen_evidence) | set(run.evidence))
        run.save()
        if run.rule in REVIEWED_RULES:  # reviewed: the rule stops firing and the run ends
            prompts_refresh(patient=patient, today=patient_today(patient))
            run.refresh_from_db()
        else:
            dashboard_state_update(patient=patient, today=patient_today(patient))
    return run


@transaction.atomic
def prompts_mark_all_seen(*, clinician, patient) -> int:
    """A clinician has seen everything: every current run not yet assessed is assessed, and the
    warning-sign nights of the last 14 that fired no rule are marked seen. Returns how many
    runs it assessed."""
    diary_lock(patient)
    today = patient_today(patient)
    now = timezone.now()
    waiting = list(
        Prompt.objects.select_for_update().filter(
            patient=patient, ended__isnull=True, assessed_at__isnull=True
        )
    )
    for run in waiting:
        run.assessed_at = now
        run.assessed_by = clinician
        run.assessed_by_name = clinician.full_name
        run.seen_evidence = sorted(set(run.seen_evidence) | set(run.evidence))
    Prompt.objects.bulk_update(
        waiting, ["assessed_at", "assessed_by", "assessed_by_name", "seen_evidence"]
    )
    first_recent = today - timedelta(days=RECENT_NIGHTS)
    recent = Night.objects.filter(patient=patient, date__gte=first_recent, date__lt=today)
    flagged = {record.night.isoformat() for _p, record in night_records(recent) if record.red_flags}
    state, _created = DiaryState.objects.get_or_create(patient=patient)
    state.warning_signs_seen = sorted(
        {night for night in state.warning_signs_seen if night >= first_recent.isoformat()} | flagged
    )
    state.save(update_fields=["warning_signs_seen"])
    if any(run.rule in REVIEWED_RULES for run in waiting):
        prompts_refresh(patient=patient, today=today)  # a reviewed run ends
    else:
        dashboard_state_update(patient=patient, today=today)
    return len(waiting)


def prompts_refresh_stale(*, on: date | None = None, batch_size: int = 200) -> int:
    """Brings every patient's runs up to date for their own today (or for `on`): the patients
    whose runs were last brought up to date for an earlier day. Returns how many it refreshed.

    Works in batches, each in one transaction, taking the patients' diary locks and skipping
    patients another run or request holds, so that several schedulers may run it at once.
    """
    # Nobody's today is later than tomorrow in UTC: a state at that date is up to date.
    bound = on or timezone.now().astimezone(UTC).date() + timedelta(days=1)
    refreshed, after = 0, 0
    while True:
        with transaction.atomic():
            states = list(
                DiaryState.objects.select_for_update(skip_locked=True, of=("patient",))
                .filter(
                    Q(prompts_evaluated_for__isnull=True) | Q(prompts_evaluated_for__lt=bound),
                    patient_id__gt=after,
                    patient__role=Role.PATIENT,
                )
                .select_related("patient")
                .order_by("patient_id")[:batch_size]
            )
            if not states:
                return refreshed
            for state in states:
                today = on or patient_today(state.patient)
                if state.prompts_evaluated_for != today:
                    prompts_refresh(patient=state.patient, today=today)
                    refreshed += 1
            after = states[-1].patient_id
