"""Which greeting fits the patient's own hour of the day."""

MORNING_FROM = 4  # a patient up at 04:30 with a cramp is greeted "Good morning"
AFTERNOON_FROM = 12
EVENING_FROM = 18


def part_of_day(hour: int) -> str:
    """`hour` 0-23 on the patient's clock -> "morning", "afternoon" or "evening"."""
    if MORNING_FROM <= hour < AFTERNOON_FROM:
        return "morning"
    if AFTERNOON_FROM <= hour < EVENING_FROM:
        return "afternoon"
    return "evening"
