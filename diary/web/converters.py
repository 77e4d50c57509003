from datetime import date

from diary.domain.checks import EARLIEST_DATE


class NightDateConverter:
    """A night in a URL: /log/2026-11-27/. A date that does not exist is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        night = date.fromisoformat(value)  # ValueError means "no match", hence 404
        if night < EARLIEST_DATE:
            raise ValueError("a diary starts in 1900 at the earliest")
        return night

    def to_url(self, value: date) -> str:
        return value.isoformat()
