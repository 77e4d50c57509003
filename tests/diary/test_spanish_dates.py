"""Spanish dates and counts read as Spanish: "sábado 5 de diciembre", "5 dic", "1 noche"."""

import re
from datetime import UTC, date, datetime

import pytest

from diary.domain.records import CrampRecord, NightRecord
from diary.services.nights import night_save


@pytest.fixture
def spanish(patient, clock):
    clock(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    patient.language = "es"
    patient.save()
    return patient


def test_a_night_is_named_with_de_between_day_and_month(spanish, patient_client):
    page = patient_client.get("/log/2026-12-05/").content.decode()
    assert "sábado 5 de diciembre" in page
    assert "sábado 5 diciembre" not in page


def test_short_dates_keep_the_month_in_lower_case(spanish, patient_client):
    calf = CrampRecord("calf", "left", 4, 6)
    night_save(patient=spanish, record=NightRecord(date(2026, 12, 5), cramps=(calf,)))
    page = patient_client.get("/history/").content.decode()
    text = re.sub(r"<[^>]+>", " ", page)  # what is read, not the page's data for its scripts
    assert "5 dic" in text
    assert "Dic" not in text


def test_one_night_in_range_is_one_noche_not_noches(spanish, patient_client):
    night_save(patient=spanish, record=NightRecord(date(2026, 12, 5)))
    page = patient_client.get("/trends/?range=custom&start=2026-12-05&end=2026-12-05")
    text = " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())
    assert "1 de 1 noche registrada." in text
    assert "de 1 noches" not in text


def test_english_dates_are_unchanged(patient, patient_client, clock):
    clock(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    page = patient_client.get("/log/2026-12-05/").content.decode()
    assert "Saturday 5 December" in page
