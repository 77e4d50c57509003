from datetime import date


class NightDateConverter:
    """A night in a URL: /log/2026-11-27/. A date that does not exist is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError means "no match", hence 404

    def to_url(self, value: date) -> str:
        return value.isoformat()
