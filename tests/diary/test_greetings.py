import pytest

from diary.domain.greetings import part_of_day


@pytest.mark.parametrize(
    ("hour", "part"),
    [
        (3, "evening"),
        (4, "morning"),
        (11, "morning"),
        (12, "afternoon"),
        (17, "afternoon"),
        (18, "evening"),
        (23, "evening"),
        (0, "evening"),
    ],
)
def test_the_greeting_follows_the_patients_hour(hour, part):
    assert part_of_day(hour) == part
