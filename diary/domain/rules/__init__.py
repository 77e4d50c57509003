"""The triage rules as one registry: each rule one entry (diary.domain.rules.base.Rule) with its
id, level, window, test, the facts it reads, whether it can pass, its sources, its default
thresholds and its words. A new rule is a new entry next to its words (urgent.py, today.py,
visit.py, or quinine.py for the rules that read treatments) and its place in ORDER, its symptom
in the vocabulary if it needs one, and its section in docs/triage.md.

ORDER is the order findings of one level are shown in.
"""

from collections.abc import Iterable, Mapping
from datetime import date

from django.utils.translation import gettext_lazy

from diary.domain.records import NightRecord
from diary.domain.rules import quinine, today, urgent, visit
from diary.domain.rules.base import (
    NEXT_FEW_WEEKS,
    WITHIN_TWO_WEEKS,
    Action,
    Diary,
    Finding,
    HealthFacts,
    Rule,
)
from diary.domain.runs import LEVELS, TODAY, URGENT, VISIT

# Definitions every rule shares: a cramp is prolonged at 10 minutes or more, severe at 8/10.
SHARED_DEFAULTS = {"prolonged_minutes": 10, "severe_severity": 8}

ORDER = (
    *urgent.RULES,
    *today.RULES,
    quinine.QUININE_PREGNANCY,
    *visit.RULES,
    quinine.QUININE_REVIEW,
)
REGISTRY: dict[str, Rule] = {rule.id: rule for rule in ORDER}
RULE_IDS = tuple(REGISTRY)

# What each level tells the patient when its rules have no action of their own.
LEVEL_ACTIONS = {
    URGENT: Action(
        present=gettext_lazy("Call %(number)s or go to an emergency department now."),
        past=gettext_lazy("call %(number)s or go to an emergency department"),
    ),
    TODAY: today.PRACTICE_TODAY,
    VISIT: Action(
        present=gettext_lazy("Book an appointment with your doctor to talk about your cramps.")
    ),
}
TIME_FRAMES = {
    WITHIN_TWO_WEEKS: gettext_lazy("within the next 2 weeks"),
    NEXT_FEW_WEEKS: gettext_lazy("in the next few weeks"),
}


def defaults() -> dict:
    """Every threshold the registry declares, with its default."""
    declared = dict(SHARED_DEFAULTS)
    for rule in REGISTRY.values():
        for key, value in rule.defaults.items():
            if key in declared:
                raise ValueError(f"threshold {key!r} is declared twice (rule {rule.id})")
            declared[key] = value
    return declared


class Thresholds:
    """The registry's default thresholds, with overrides (settings.TRIAGE_THRESHOLDS) for keys
    the registry declares; an unknown key is refused."""

    def __init__(self, **overrides):
        declared = defaults()
        unknown = sorted(set(overrides) - set(declared))
        if unknown:
            raise ValueError(f"unknown triage thresholds: {', '.join(unknown)}")
        self._values = {**declared, **overrides}

    def __getattr__(self, name):
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __eq__(self, other):
        return isinstance(other, Thresholds) and self._values == other._values

    def __hash__(self):
        return hash(tuple(sorted((k, repr(v)) for k, v in self._values.items())))

    def replace(self, **changes) -> "Thresholds":
        return Thresholds(**{**self._values, **changes})


def unknown_thresholds(overrides: Mapping) -> list[str]:
    """The keys of `overrides` no registry entry declares (checked at start-up)."""
    return sorted(set(overrides) - set(defaults()))


def rule(rule_id: str) -> Rule | None:
    return REGISTRY.get(rule_id)


def level_of(rule_id: str) -> str:
    return REGISTRY[rule_id].level


def can_pass(rule_id: str) -> bool:
    entry = REGISTRY.get(rule_id)
    return entry is not None and entry.can_pass


def lookback_nights(t: Thresholds) -> int:
    """How many nights before today the rules read: load at least these."""
    return max(entry.nights_read(t) for entry in REGISTRY.values())


def evaluate(
    facts: HealthFacts,
    nights: Iterable[NightRecord],
    today: date,
    thresholds: Thresholds,
    registry: Mapping[str, Rule] | None = None,
) -> list[Finding]:
    """The findings for `today`, most pressing level first, each rule at most once."""
    registry = REGISTRY if registry is None else registry
    order = tuple(registry)
    diary = Diary(nights, today, thresholds)
    fired = [finding for entry in registry.values() if (finding := entry.test(diary, facts))]
    return sorted(fired, key=lambda f: (LEVELS.index(f.level), order.index(f.rule)))


__all__ = [
    "LEVELS",
    "LEVEL_ACTIONS",
    "REGISTRY",
    "RULE_IDS",
    "TIME_FRAMES",
    "TODAY",
    "URGENT",
    "VISIT",
    "Finding",
    "HealthFacts",
    "Rule",
    "Thresholds",
    "evaluate",
]
