"""Stored prompts: the triage rules run against a patient's diary, and the runs kept current.

Every write to a patient's nights or profile calls diary_changed, which brings the runs up to
date for the patient's today; pages call current_prompts, which does the same when the runs were
last brought up to date for an earlier day, and `manage.py refresh_prompts` does it for every
patient whose day has moved on, a batch of patients at a time. The rules' reads and the runs'
writes are diary.services.prompt_refresh; the life cycle itself is diary.domain.runs (plain
data).
"""

from dataclasses import dataclass
from datetime import UTC, date, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role, User
from diary.domain import prompt_box as prompt_box_domain
from diary.domain import runs, triage
from diary.models import Acknowledgement, DiaryState, EndReason, Night, Prompt, night_records
from diary.services.dashboard_states import LEVEL_ORDER, RECENT_NIGHTS, dashboard_states_write
from diary.services.dates import patient_today
from diary.services.prompt_refresh import (
    REVIEWED_RULES,
    nights_read,
    prompts_refresh_batch,
    thresholds,
)


def diary_lock(patient) -> None:
    """Takes the patient's diary lock until the end of the transaction: every write to a diary
    (save, delete, undo, import, profile, prompt refresh) takes it first, so that two requests
    for one patient run one after the other instead of tripping over each other's rows."""
    list(User.objects.select_for_update().filter(pk=patient.pk).values_list("pk", flat=True))


@transaction.atomic
def prompts_refresh(*, patient, today: date, diary_changed: bool = False) -> None:
    """Brings the patient's stored runs up to date for `today` (see diary.domain.runs)."""
    diary_lock(patient)
    prompts_refresh_batch(due=[(patient, today)], diary_changed=diary_changed)


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


STATE_ORDER = {"new": 0, "acknowledged": 1, "assessed": 2}


def dashboard_state_update(*, patient, today: date) -> None:
    """Keeps what the clinician's dashboard shows beside the runs, after an answer or an
    assessment (diary.services.dashboard_states)."""
    current = list(Prompt.objects.filter(patient=patient, ended__isnull=True))
    records = nights_read(patient=patient, today=today)
    dashboard_states_write(
        [(patient, today, current, records)], rules=thresholds(), evaluated=False
    )


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

    Works in batches, each in one transaction: it takes the batch's diary locks together,
    skipping patients another run or request holds, so that several schedulers may run it at
    once, and refreshes the batch's patients together (a fixed number of queries a batch).
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
            due = [(state.patient, on or patient_today(state.patient)) for state in states]
            due = [
                (patient, today)
                for (patient, today), state in zip(due, states, strict=True)
                if state.prompts_evaluated_for != today
            ]
            if due:
                prompts_refresh_batch(due=due)
            refreshed += len(due)
            after = states[-1].patient_id
