"""The triage rules: when the diary says "Seek immediate medical care", "Contact a doctor today"
or "Schedule an office visit".

The rules themselves are one registry, diary.domain.rules (each rule one entry with its test,
thresholds and words); this module is the entry point the services and commands use. Plain
Python: it takes the health facts, the logged nights and `today`, and returns the findings that
fire. It never reads the clock, the database or a request. docs/triage.md gives each rule's
clinical reasoning and sources.
"""

from diary.domain.rules import (
    REGISTRY,
    RULE_IDS,
    Thresholds,
    can_pass,
    evaluate,
    level_of,
    lookback_nights,
    unknown_thresholds,
)
from diary.domain.rules.base import Finding, HealthFacts
from diary.domain.rules.quinine import quinine_due
from diary.domain.runs import LEVELS, TODAY, URGENT, VISIT

RULES = REGISTRY

__all__ = [
    "LEVELS",
    "REGISTRY",
    "RULES",
    "RULE_IDS",
    "TODAY",
    "URGENT",
    "VISIT",
    "Finding",
    "HealthFacts",
    "Thresholds",
    "can_pass",
    "evaluate",
    "level_of",
    "lookback_nights",
    "quinine_due",
    "unknown_thresholds",
]
