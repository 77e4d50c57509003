"""The life cycle of prompt runs (DESIGN "Domain" → "Prompt"), as plain data.

Given a patient's current runs, the findings that fire for `today` and why we are looking
(the day moved on, or the patient changed the diary), `plan` says which runs to update, end
(and why) and start. It reads neither the database nor the clock; diary.services.prompts applies it.

- A run starts when its rule fires and no current run of that rule exists, unless the rule is a
  visit rule held back: "I have booked a visit" holds it back for 28 days after that run ends.
- While current, firing again updates its evidence and figures, and keeps its first-raised date
  and its acknowledgement.
- New evidence restarts urgent and today runs: a run acknowledged or assessed that fires on a
  night it had not seen ends ("new evidence") and a new, unacknowledged run starts.
- A visit run ends after its rule has not fired for 7 days in a row.
- An acknowledged (or assessed) urgent or today run ends when its rule stops firing. An
  unacknowledged one stays current, in the past tense, until it is acknowledged or a change to
  the diary takes away what made it fire ("the diary was changed").
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from diary.domain.triage import VISIT, Finding

VISIT_RUN_GRACE_DAYS = 7
BOOKED_VISIT_HOLD_BACK_DAYS = 28

NO_LONGER_FIRES = "no_longer_fires"
NEW_EVIDENCE = "new_evidence"
ACKNOWLEDGED = "acknowledged"
DIARY_CHANGED = "diary_changed"


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
    update: list[tuple[Run, Finding]] = field(default_factory=list)
    lapse: list[Run] = field(default_factory=list)  # current, but its rule no longer fires
    end: list[tuple[Run, str]] = field(default_factory=list)
    start: list[Finding] = field(default_factory=list)


def plan(
    runs: Iterable[Run],
    findings: Iterable[Finding],
    *,
    today: date,
    diary_changed: bool = False,
    held_back: Collection[str] = (),
    still_fired_when_last_seen: Collection[str] = (),
) -> Plan:
    """What to do with the current runs for `today`.

    `held_back`: visit rules that may not start a run now. `still_fired_when_last_seen`: rules
    of unacknowledged urgent or today runs that, with the diary as it is now, still fire on the
    run's last firing day; a diary change that takes that away ends the run.
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
        elif run.level == VISIT:
            if today - run.last_fired >= timedelta(days=VISIT_RUN_GRACE_DAYS):
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
