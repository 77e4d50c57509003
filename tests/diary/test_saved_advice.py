"""After a save, the confirmation page tells the patient what to do for every warning sign the
night has: each sign's own words, its level and, where it needs one, the number to call."""

from datetime import UTC, datetime

import pytest

from diary.domain.vocabulary import RedFlag
from tests.diary.test_views_log import _log

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

ADVICE = {
    "cramp_wont_stop": (
        "Seek immediate medical care",
        "a severe cramp is still going on and won't stop",
        True,
    ),
    "leg_cold_pale": (
        "Seek immediate medical care",
        "a leg or foot has suddenly turned cold, pale or blue, or gone numb and weak",
        True,
    ),
    "dark_urine": (
        "Seek immediate medical care",
        "dark, tea- or cola-coloured urine since the cramps",
        True,
    ),
    "leg_swollen": (
        "Contact a doctor today",
        "one calf or leg is swollen, red, warm or tender, even between cramps",
        True,  # if also short of breath or with chest pain
    ),
}


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def test_every_warning_sign_has_its_advice_here():
    assert set(ADVICE) == {flag.value for flag in RedFlag}


@pytest.mark.parametrize("flag", sorted(ADVICE))
def test_the_saved_page_shows_the_advice_of_the_sign_ticked(patient_client, settings, flag):
    settings.EMERGENCY_NUMBER = "999"
    response = patient_client.post("/log/", _log(**{"red_flags": [flag]}), follow=True)
    page = response.content.decode().replace("&#x27;", "'").replace("&#39;", "'")
    heading, words, calls = ADVICE[flag]
    section = page[page.index(f'id="flag-{flag}"') :]
    section = section[: section.index("</section>")]
    assert heading in section and words in section
    assert ('href="tel:999"' in section) is calls
    for other in set(ADVICE) - {flag}:
        assert f'id="flag-{other}"' not in page


def _prompt_box(page: str) -> str:
    box = page[page.index("data-prompt-level=") :]
    return box[: box.index("</section>")]


def test_a_box_more_pressing_than_the_signs_ticked_still_says_what_to_do(
    patient, patient_client, settings
):
    """Dark urine two nights ago (urgent), a swollen calf ticked now (today): the swollen calf's
    advice says "call your doctor today", so the urgent box must keep its own "call 999"."""
    from datetime import date

    from diary.domain.records import CrampRecord, NightRecord
    from diary.services.nights import night_save

    settings.EMERGENCY_NUMBER = "999"
    calf = CrampRecord("calf", "left", 4, 6)
    night_save(
        patient=patient,
        record=NightRecord(date(2026, 11, 26), cramps=(calf,), red_flags=frozenset({"dark_urine"})),
    )
    page = patient_client.post("/log/", _log(red_flags=["leg_swollen"]), follow=True)
    box = _prompt_box(page.content.decode())
    assert 'data-prompt-level="urgent"' in box
    assert "prompt-action" in box and 'href="tel:999"' in box


def test_a_box_of_the_signs_own_level_does_not_say_it_twice(patient_client):
    page = patient_client.post("/log/", _log(red_flags=["leg_swollen"]), follow=True)
    content = page.content.decode()
    box = _prompt_box(content)
    assert 'data-prompt-level="today"' in box
    assert "prompt-action" not in box
    assert 'id="flag-leg_swollen"' in content
