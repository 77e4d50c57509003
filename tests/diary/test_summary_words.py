"""The summary's table of nights speaks words, never the exchange format's codes."""

from datetime import timedelta

from diary.domain.records import NightRecord
from diary.services.dates import patient_today
from diary.services.nights import night_save


def test_the_daytime_rating_is_in_words(patient, patient_client):
    night = patient_today(patient) - timedelta(days=1)
    night_save(patient=patient, record=NightRecord(night, daytime_impairment="moderate"))
    page = patient_client.get("/summary/?range=30").content.decode()
    assert 'data-label="Day">Moderate</td>' in page
    assert 'data-label="Day">moderate</td>' not in page
