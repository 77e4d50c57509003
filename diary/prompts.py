"""Stored prompts: the triage rules run against a patient's diary, kept current.

"Current" always means "fires for the patient's today": stored prompts carry the date they were
evaluated for, and are evaluated again when that date is stale or when the diary or profile
changes (diary_changed, called by every write).
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from accounts.models import HealthProfile
from diary import triage
from diary.dates import patient_today
from diary.models import DiaryState, Night, Prompt, PromptLevel, night_records


def thresholds() -> triage.Thresholds:
    return triage.Thresholds(**settings.TRIAGE_THRESHOLDS)


def prompts_firing(*, patient, today: date) -> list[triage.Prompt]:
    """The prompts that fire for `today`, without storing anything (three queries)."""
    rules = thresholds()
    profile = HealthProfile.objects.filter(patient=patient).first()
    facts = triage.HealthFacts(venous_disease=bool(profile and profile.venous_disease))
    first = today - timedelta(days=triage.lookback_nights(rules))
    nights = Night.objects.filter(patient=patient, date__range=(first, today - timedelta(days=1)))
    records = [record for _patient, record in night_records(nights)]
    return triage.evaluate(facts, records, today, rules)


@transaction.atomic
def prompts_refresh(*, patient, today: date) -> None:
    """Brings the stored prompts up to date for `today`."""
    fired = {prompt.rule: prompt for prompt in prompts_firing(patient=patient, today=today)}
    # Open runs, and runs that ended earlier today: an edit, then another, may make a rule stop
    # and fire again the same day, and that is still the same run, acknowledgement and all.
    runs = list(
        Prompt.objects.select_for_update().filter(
            Q(ended__isnull=True) | Q(ended=today), patient=patient
        )
    )
    open_runs = {run.rule: run for run in runs if run.ended is None}
    ended_today = {run.rule: run for run in runs if run.ended is not None}
    for rule, run in open_runs.items():
        if rule not in fired:
            run.ended = today
            run.save(update_fields=["ended"])
    for rule, prompt in fired.items():
        values = {
            "level": prompt.level,
            "reason": prompt.reason,
            "evidence": [night.isoformat() for night in prompt.evidence],
            "last_fired": today,
            "ended": None,
        }
        run = open_runs.get(rule) or ended_today.get(rule)
        if run is None:
            Prompt.objects.create(patient=patient, rule=rule, first_raised=today, **values)
        elif any(getattr(run, name) != value for name, value in values.items()):
            Prompt.objects.filter(pk=run.pk).update(**values)
    DiaryState.objects.update_or_create(patient=patient, defaults={"prompts_evaluated_for": today})


@transaction.atomic
def diary_changed(*, patient) -> None:
    """After any change to a patient's nights or profile: a new version, prompts re-evaluated."""
    bumped = DiaryState.objects.filter(patient=patient).update(version=F("version") + 1)
    if not bumped:
        DiaryState.objects.create(patient=patient, version=1)
    prompts_refresh(patient=patient, today=patient_today(patient))


def current_prompts(patient) -> list[Prompt]:
    """The prompts that fire for the patient's today, urgent first (re-evaluated if stale)."""
    today = patient_today(patient)
    evaluated_for = (
        DiaryState.objects.filter(patient=patient)
        .values_list("prompts_evaluated_for", flat=True)
        .first()
    )
    if evaluated_for != today:
        prompts_refresh(patient=patient, today=today)
    runs = Prompt.objects.filter(patient=patient, ended__isnull=True)
    return sorted(runs, key=lambda run: (run.level != PromptLevel.URGENT, run.first_raised))
