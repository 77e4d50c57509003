"""The answers rules v3 added: three symptoms on the night, heart failure in the profile, the
12-week window after a birth, and the heat caution on the log's confirmation page."""

from datetime import UTC, date, datetime, timedelta

import pytest

from diary.domain.advice import heat_caution
from diary.domain.records import CrampRecord, NightRecord, ProfileRecord
from diary.models import HealthProfile, Night
from diary.services.nights import night_record, night_save
from tests.diary.test_views_log import _cramp, _log

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
LAST_NIGHT = date(2026, 11, 27)
NEW_SYMPTOMS = ["numbness_tingling", "urge_to_move", "pain_on_walking"]
HEAT = "Don't use hot water or heat pads on feet or legs that are numb"
HOT_BATH = CrampRecord("calf", "left", 3, 5, remedies=frozenset({"hot_shower_or_bath"}))
MASSAGE = CrampRecord("calf", "left", 3, 5, remedies=frozenset({"massage"}))


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


# The three symptoms: offered on the form, saved, shown back.


def test_the_log_offers_the_new_symptoms_as_chips(patient_client):
    page = patient_client.get("/log/").content.decode()
    for value, words in [
        ("numbness_tingling", "Numbness, tingling or burning in the feet or legs"),
        ("urge_to_move", "An urge to move the legs when resting, eased by moving"),
        ("pain_on_walking", "Calf or leg pain when walking that eases with rest"),
    ]:
        assert f'name="night-symptoms" value="{value}"' in page
        assert words in page


def test_the_new_symptoms_are_saved_from_the_form_and_shown_on_the_form_again(
    patient_client, patient
):
    response = patient_client.post(f"/log/{LAST_NIGHT}/", _log(_cramp(0), symptoms=NEW_SYMPTOMS))
    assert response.status_code == 302
    row = Night.objects.get(patient=patient, date=LAST_NIGHT)
    assert row.symptom_numbness_tingling and row.symptom_urge_to_move
    assert row.symptom_pain_on_walking and not row.symptom_twitching
    assert night_record(patient=patient, night=LAST_NIGHT).symptoms == set(NEW_SYMPTOMS)
    form = patient_client.get(f"/log/{LAST_NIGHT}/").context["night_form"]
    assert sorted(form.initial["symptoms"]) == sorted(NEW_SYMPTOMS)


@pytest.mark.parametrize("symptom", NEW_SYMPTOMS)
def test_each_new_symptom_round_trips_through_the_model_alone(patient, symptom):
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, symptoms=frozenset({symptom})))
    assert night_record(patient=patient, night=LAST_NIGHT).symptoms == {symptom}


def test_the_history_lists_a_new_symptom(patient_client, patient):
    night_save(
        patient=patient,
        record=NightRecord(LAST_NIGHT, symptoms=frozenset({"urge_to_move"}), cramps=(MASSAGE,)),
    )
    page = patient_client.get("/summary/").content.decode()
    assert "An urge to move the legs when resting, eased by moving" in page


# Heart failure in the profile: form, model, record, summary.


def _profile_form(**answers):
    return {"account-full_name": "Alice Walker", "account-time_zone": "Europe/London", **answers}


def test_heart_failure_is_asked_beside_kidney_disease_and_saved(patient_client, patient):
    page = patient_client.get("/accounts/profile/").content.decode()
    kidney, heart = (
        page.index('name="health-kidney_disease"'),
        page.index('name="health-heart_failure"'),
    )
    assert 0 < heart - kidney < 1500  # the next question
    response = patient_client.post(
        "/accounts/profile/", _profile_form(**{"health-heart_failure": "on"})
    )
    assert response.status_code == 302
    health = HealthProfile.objects.get(patient=patient)
    assert health.heart_failure and not health.kidney_disease
    assert health.to_record().heart_failure and health.to_record().limits_fluids
    patient_client.post("/accounts/profile/", _profile_form())
    assert not HealthProfile.objects.get(patient=patient).heart_failure


def test_the_summary_names_heart_failure_for_the_clinician(patient_client, patient):
    HealthProfile.objects.update_or_create(patient=patient, defaults={"heart_failure": True})
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, cramps=(MASSAGE,)))
    page = patient_client.get("/summary/").content.decode()
    facts = page[page.index("health-facts") : page.index("</dl>", page.index("health-facts"))]
    assert "Heart failure" in facts
    assert "Heart failure: yes" in page


# The 12-week window after a birth (84 days after the given date, inclusive).

BIRTH = date(2026, 9, 4)


@pytest.mark.parametrize(
    ("today", "lapsed"), [(BIRTH + timedelta(days=84), False), (BIRTH + timedelta(days=85), True)]
)
def test_a_birth_date_counts_for_84_days(today, lapsed):
    profile = ProfileRecord(pregnant=True, pregnancy_date=BIRTH)
    assert profile.pregnancy_lapsed(today) is lapsed
    assert profile.gave_birth_by(today) is not lapsed


def test_a_due_date_ahead_is_a_pregnancy_not_a_birth():
    profile = ProfileRecord(pregnant=True, pregnancy_date=date(2027, 1, 10))
    assert not profile.gave_birth_by(date(2027, 1, 10)) and profile.gave_birth_by(date(2027, 1, 11))


def _summary_facts(patient_client):
    page = patient_client.get("/summary/").content.decode()
    return page[page.index("health-facts") : page.index("</dl>", page.index("health-facts"))]


@pytest.mark.parametrize(
    ("given", "words"),
    [
        (date(2027, 2, 1), "Pregnant, due 1 Feb 2027"),
        (LAST_NIGHT - timedelta(days=20), "Gave birth on 7 Nov 2026"),
        (LAST_NIGHT - timedelta(days=84), "Gave birth on 4 Sep 2026"),
        (LAST_NIGHT - timedelta(days=85), "more than 12 weeks before the last night"),
    ],
    ids=["due", "born", "84-days", "85-days"],
)
def test_the_summary_says_gave_birth_once_the_date_has_passed(
    patient_client, patient, given, words
):
    HealthProfile.objects.update_or_create(
        patient=patient, defaults={"pregnant": True, "pregnancy_date": given}
    )
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, cramps=(MASSAGE,)))
    facts = _summary_facts(patient_client)
    assert words in facts
    assert "6 weeks" not in facts


# The heat caution on the confirmation page: a hot shower or bath on a night recording numbness,
# or after a night in the 30 before it that did.


def _confirmation(client, night=LAST_NIGHT) -> str:
    return client.get(f"/log/{night}/saved/").content.decode()


def test_heat_with_numbness_on_the_same_night_shows_the_caution(patient_client, patient):
    night_save(
        patient=patient,
        record=NightRecord(
            LAST_NIGHT, symptoms=frozenset({"numbness_tingling"}), cramps=(HOT_BATH,)
        ),
    )
    assert HEAT in _confirmation(patient_client)


@pytest.mark.parametrize(("days_before", "shown"), [(30, True), (31, False), (1, True)])
def test_heat_after_a_numb_night_shows_the_caution_within_30_nights(
    patient_client, patient, days_before, shown
):
    night_save(
        patient=patient,
        record=NightRecord(
            LAST_NIGHT - timedelta(days=days_before), symptoms=frozenset({"numbness_tingling"})
        ),
    )
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, cramps=(HOT_BATH,)))
    assert (HEAT in _confirmation(patient_client)) is shown


def test_no_heat_no_caution_even_with_numbness(patient_client, patient):
    night_save(
        patient=patient,
        record=NightRecord(
            LAST_NIGHT, symptoms=frozenset({"numbness_tingling"}), cramps=(MASSAGE,)
        ),
    )
    assert HEAT not in _confirmation(patient_client)


def test_heat_without_numbness_shows_no_caution(patient_client, patient):
    night_save(
        patient=patient,
        record=NightRecord(LAST_NIGHT - timedelta(days=3), symptoms=frozenset({"urge_to_move"})),
    )
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, cramps=(HOT_BATH,)))
    assert HEAT not in _confirmation(patient_client)


def test_a_numb_night_after_the_heat_does_not_count():
    night = NightRecord(LAST_NIGHT - timedelta(days=5), cramps=(HOT_BATH,))
    assert not heat_caution(night, [LAST_NIGHT])
    assert heat_caution(night, [LAST_NIGHT - timedelta(days=6)])


# Spanish: "twitching" is "fasciculaciones" (small jumps under the skin), never the definition
# of a cramp, which made Spanish speakers tick it for every cramp.

FASCICULATIONS = "fasciculaciones"
EXPLAINED = "pequeños saltos o temblores del músculo bajo la piel"


def test_the_spanish_log_asks_about_fasciculations_and_the_new_symptoms(patient):
    from django.test import Client

    patient.language = "es"
    patient.save()
    client = Client()
    client.force_login(patient)
    page = client.get("/log/").content.decode()
    assert "Fasciculaciones: pequeños saltos o temblores del músculo bajo la piel" in page
    assert "contracciones musculares involuntarias" not in page.lower()
    assert "Entumecimiento, hormigueo o ardor en los pies o las piernas" in page
    advice = client.get("/advice/").content.decode()
    line = advice[advice.index('id="visit-weakness_atrophy"') :]
    line = line[: line.index("</li>")]
    assert FASCICULATIONS in line and EXPLAINED in line and "contracciones" not in line


def test_no_spanish_translation_calls_twitching_an_involuntary_contraction():
    from pathlib import Path

    from django.conf import settings

    catalogue = Path(settings.BASE_DIR, "locale/es/LC_MESSAGES/django.po").read_text("utf-8")
    entries = catalogue.split("\n\n")
    twitching = [entry for entry in entries if "twitching" in entry.split("msgstr")[0]]
    assert len(twitching) >= 3
    for entry in twitching:
        translation = entry.split("msgstr", 1)[1].replace('"\n"', "").lower()
        assert FASCICULATIONS in translation, entry
        assert "contracciones" not in translation, entry
    # The chip a patient ticks explains the word; a sentence about it may just use it.
    (chip,) = [entry for entry in twitching if 'msgid "Muscle twitching"' in entry]
    assert EXPLAINED in chip.split("msgstr", 1)[1].replace('"\n"', "").lower()


def test_numbness_without_heat_needs_no_heat_caution():
    numb = frozenset({"numbness_tingling"})
    assert not heat_caution(NightRecord(LAST_NIGHT, symptoms=numb, cramps=(MASSAGE,)), [])
    assert not heat_caution(NightRecord(LAST_NIGHT, cramps=(MASSAGE,)), [LAST_NIGHT])
    assert heat_caution(NightRecord(LAST_NIGHT, symptoms=numb, cramps=(HOT_BATH,)), [])
