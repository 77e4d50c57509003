"""The life cycle of prompt runs (DESIGN "Domain" → "Prompt"), as plain data.

Given a patient's current runs, the findings that fire for `today` and why we are looking
(the day moved on, or the patient changed the diary), `plan` says which runs to update, end
(and why) and start. It reads neither the database nor the clock; diary.services.prompts applies it.

- A run starts when its rule fires and no current run of that rule exists, unless the rule is a
  visit rule held back: "I have booked a visit" or "My doctor already knows about this" holds it
  back for 28 days after that run ends.
- While current, firing again updates its evidence and figures, and keeps its first-raised date
  and its acknowledgement.
- New evidence restarts urgent and today runs: a run acknowledged or assessed that fires on a
  night it had not seen ends ("new evidence") and a new, unacknowledged run starts.
- A visit run ends after its rule has not fired for 7 days in a row, counting only days whose
  previous night was logged (an unlogged diary has not shown the problem went away).
- A run of a rule that ends once reviewed (quinine_review) ends when it has been dealt with and
  its rule no longer fires.
- An acknowledged (or assessed) urgent or today run ends when its rule stops firing. An
  unacknowledged one stays current, in the past tense, until it is acknowledged or a change to
  the diary takes away what made it fire ("the diary was changed").
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

# The levels, most pressing first.
URGENT = "urgent"
TODAY = "today"
VISIT = "visit"
LEVELS = (URGENT, TODAY, VISIT)

VISIT_RUN_GRACE_DAYS = 7  # logged days without firing that end a visit run
BOOKED_VISIT_HOLD_BACK_DAYS = 28  # after a held-back answer, no new run for this many days

# Why a run ended.
NO_LONGER_FIRES = "no_longer_fires"
NEW_EVIDENCE = "new_evidence"
ACKNOWLEDGED = "acknowledged"
DIARY_CHANGED = "diary_changed"
RULES_CHANGED = "rules_changed"
END_REASONS = (NO_LONGER_FIRES, NEW_EVIDENCE, ACKNOWLEDGED, DIARY_CHANGED, RULES_CHANGED)

# The patient's answers. Visit: "I have booked a visit", "My doctor already knows about this"
# (both hold the rule back). Urgent and today: "I have sought care", "A doctor has already
# checked this" (acts as sought care), and "It has passed; I did not need care" for a rule that
# can pass.
SOUGHT_CARE = "sought_care"
PASSED = "passed"
BOOKED_VISIT = "booked_visit"
DOCTOR_KNOWS = "doctor_knows"
DOCTOR_CHECKED = "doctor_checked"
HOLDING_BACK = (BOOKED_VISIT, DOCTOR_KNOWS)
ANSWERS = (SOUGHT_CARE, PASSED, BOOKED_VISIT, DOCTOR_KNOWS, DOCTOR_CHECKED)


def answers(level: str, can_pass: bool) -> tuple[str, ...]:
    """The answers a run of `level` offers; `can_pass`: its rule's registry entry says so."""
    if level == VISIT:
        return (BOOKED_VISIT, DOCTOR_KNOWS)
    return (SOUGHT_CARE, PASSED if can_pass else DOCTOR_CHECKED)


def visit_run_over(last_fired: date, today: date, logged: Collection[date]) -> bool:
    """Whether a visit run last fired on `last_fired` has gone 7 days without firing, counting
    only days d (last_fired < d <= today) whose previous night (d - 1) was logged."""
    days = (today - last_fired).days
    counted = sum(
        1 for offset in range(1, days + 1) if last_fired + timedelta(days=offset - 1) in logged
    )
    return counted >= VISIT_RUN_GRACE_DAYS


@dataclass(frozen=True)
class Run:
    """What the life cycle needs of a current run."""

    id: int
    rule: str
    level: str
    last_fired: date
    dealt_with: bool  # acknowledged by the patient or assessed by a clinician
    seen_evidence: frozenset[date] = frozenset()


@dataclass
class Plan:
    update: list[tuple[Run, Any]] = field(default_factory=list)
    lapse: list[Run] = field(default_factory=list)  # current, but its rule no longer fires
    end: list[tuple[Run, str]] = field(default_factory=list)
    start: list[Any] = field(default_factory=list)


def plan(
    runs: Iterable[Run],
    findings: Iterable[Any],
    *,
    today: date,
    diary_changed: bool = False,
    held_back: Collection[str] = (),
    still_fired_when_last_seen: Collection[str] = (),
    logged: Collection[date] | None = None,
    end_when_reviewed: Collection[str] = (),
) -> Plan:
    """What to do with the current runs for `today`.

    `held_back`: visit rules that may not start a run now. `still_fired_when_last_seen`: rules
    of unacknowledged urgent or today runs that, with the diary as it is now, still fire on the
    run's last firing day; a diary change that takes that away ends the run. `logged`: the
    logged nights since the visit runs last fired (None: every night counts as logged).
    `end_when_reviewed`: rules whose runs end once dealt with and no longer firing.
    """
    result = Plan()
    fired = {finding.rule: finding for finding in findings}
    current = {run.rule: run for run in runs}
    for rule, run in current.items():
        finding = fired.get(rule)
        if finding is not None:
            if run.level != VISIT and run.dealt_with and set(finding.evidence) - run.seen_evidence:
                result.end.append((run, NEW_EVIDENCE))
                result.start.append(finding)
            else:
                result.update.append((run, finding))
        elif run.dealt_with and rule in end_when_reviewed:
            result.end.append((run, NO_LONGER_FIRES))
        elif run.level == VISIT:
            if _visit_over(run.last_fired, today, logged):
                result.end.append((run, NO_LONGER_FIRES))
            else:
                result.lapse.append(run)
        elif run.dealt_with:
            result.end.append((run, NO_LONGER_FIRES))
        elif diary_changed and rule not in still_fired_when_last_seen:
            result.end.append((run, DIARY_CHANGED))
        else:
            result.lapse.append(run)
    for rule, finding in fired.items():
        if rule in current or (finding.level == VISIT and rule in held_back):
            continue
        result.start.append(finding)
    return result


def _visit_over(last_fired: date, today: date, logged: Collection[date] | None) -> bool:
    if logged is None:
        return today - last_fired >= timedelta(days=VISIT_RUN_GRACE_DAYS)
    return visit_run_over(last_fired, today, logged)
