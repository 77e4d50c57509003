"""The prompt box by level: what a patient page shows of the current runs, as plain data.

Runs stay one per rule, but the patient deals with levels. The box shows the most pressing
level that has unanswered runs: its heading and its action once, then each of its runs as one
reason line with its own "Why?"; each lower level with unanswered runs adds one "Also" line.

- The action is the rules' own sentence when every unanswered run of the level shares it;
  otherwise the level's general sentence (the midwife first when the level holds a pregnancy
  rule) and each reason line starts with its own action.
- A visit level gives the shortest time frame among its runs.
- The action takes its past form ("If it is still happening, … now") only when every
  unanswered run of the level is in the past tense.
- The answers are the level's: "It has passed" only when every run can pass.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from diary.domain import reasons, rules
from diary.domain.rules.base import NEXT_FEW_WEEKS, WITHIN_TWO_WEEKS, Action
from diary.domain.runs import LEVELS, VISIT, answers

# Rules that put the midwife or maternity unit first.
PREGNANCY_RULES = ("pregnancy_one_sided", "quinine_pregnancy")
TIME_FRAME_ORDER = (WITHIN_TWO_WEEKS, NEXT_FEW_WEEKS)


@dataclass(frozen=True)
class ShownRun:
    """What the box needs of a current, unanswered run (neither acknowledged nor assessed)."""

    id: int
    rule: str
    level: str
    past: bool  # its rule no longer fires: shown in the past tense


@dataclass(frozen=True)
class Reason:
    run: ShownRun
    action: str  # "" when the level's action line is the run's own


@dataclass(frozen=True)
class OtherLevel:
    level: str
    heading: str
    count: int


@dataclass(frozen=True)
class Box:
    """The box: its level, heading, action line (with %(number)s where the emergency number
    goes), the second sentences of its actions, its reasons, its answers and the run ids the
    answer covers; and one line for each lower level."""

    level: str
    heading: str
    action: str
    also: tuple[str, ...]
    past: bool
    reasons: tuple[Reason, ...]
    answers: tuple[str, ...]
    others: tuple[OtherLevel, ...]

    @property
    def run_ids(self) -> tuple[int, ...]:
        return tuple(reason.run.id for reason in self.reasons)

    @property
    def count(self) -> int:
        return len(self.reasons)


def level_heading(level: str) -> str:
    return {
        "urgent": _("Seek immediate medical care"),
        "today": _("Contact a doctor today"),
        VISIT: _("Schedule an office visit"),
    }[level]


def _rule_order(run: ShownRun) -> int:
    return rules.RULE_IDS.index(run.rule) if run.rule in rules.RULE_IDS else len(rules.RULE_IDS)


def _visit_action(shown: list[ShownRun]) -> str:
    frames = [entry.words.time_frame for run in shown if (entry := rules.rule(run.rule))]
    frame = min(frames or [NEXT_FEW_WEEKS], key=TIME_FRAME_ORDER.index)
    return _("Book an appointment with your doctor %(when)s to talk about your cramps.") % {
        "when": rules.TIME_FRAMES[frame]
    }


def _past_line(action: Action) -> str:
    if not action.past:
        return str(action.present)
    return _("If it is still happening, %(action)s now. Otherwise, tell us below what you did.") % {
        "action": action.past
    }


def box(current: Iterable[ShownRun]) -> Box | None:
    """The box for the patient's unanswered current runs, or None when there are none."""
    by_level: dict[str, list[ShownRun]] = {}
    for run in sorted(current, key=_rule_order):
        by_level.setdefault(run.level, []).append(run)
    levels = [level for level in LEVELS if by_level.get(level)]
    if not levels:
        return None
    level, lower = levels[0], levels[1:]
    shown = by_level[level]
    past = all(run.past for run in shown)
    actions = [reasons.action(run.rule) for run in shown]
    shared = len({str(action.present) for action in actions}) == 1
    if level == VISIT:
        line, own = _visit_action(shown), ["" for _run in shown]
    elif shared:
        line = _past_line(actions[0]) if past else str(actions[0].present)
        own = ["" for _run in shown]
    else:
        pregnancy = next((run for run in shown if run.rule in PREGNANCY_RULES), None)
        general = reasons.action(pregnancy.rule) if pregnancy else rules.LEVEL_ACTIONS[level]
        line = _past_line(general) if past else str(general.present)
        own = [str(action.present) for action in actions]
    also = tuple(dict.fromkeys(str(action.also) for action in actions if action.also))
    can_pass = all(rules.can_pass(run.rule) for run in shown)
    return Box(
        level=level,
        heading=level_heading(level),
        action=line,
        also=also,
        past=past,
        reasons=tuple(Reason(run, action) for run, action in zip(shown, own, strict=True)),
        answers=answers(level, can_pass),
        others=tuple(
            OtherLevel(other, level_heading(other), len(by_level[other])) for other in lower
        ),
    )
