"""A restore loses nothing: every diary exported, the database emptied, each export imported
back and exported again gives the very same file (docs/operations.md, "Checking a restore")."""

import json
from datetime import UTC, date, datetime

import pytest

from accounts.models import User
from accounts.time_zones import DEFAULT_TIME_ZONE, time_zone_names
from diary.domain.exchange import diary_from_json
from diary.domain.records import CrampRecord, NightRecord
from diary.models import Cramp, HealthProfile, Night
from diary.services.nights import diary_export, diary_import, night_save

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 28)
LATEST = date(2026, 11, 27)

CALF = CrampRecord("calf", "left", 4, 7, True, frozenset({"flex_foot", "massage"}), "some")
TOES = CrampRecord("toes", "both", 0.5, 2)
THIGH = CrampRecord("thigh_back", "right", 12.25, 9, True, frozenset({"other"}), "none")

PROFILES = {
    "alice@example.org": {
        "venous_disease": True,
        "date_of_birth": date(1948, 3, 1),
        "medication_statin": True,
    },
    "bob@example.org": {
        "kidney_disease": True,
        "peripheral_artery_disease": True,
        "medication_diuretic": True,
        "medication_beta_agonist": True,
    },
    "zoe@example.org": {
        "pregnant": True,
        "pregnancy_date": date(2027, 2, 14),
        "medication_raloxifene_or_oestrogen": True,
    },
}


def _nights(offset: int) -> list[NightRecord]:
    return [
        NightRecord(
            date(2026, 10, 1 + offset),
            sleep_quality=2,
            daytime_impairment="moderate",
            prevention=frozenset({"fluids", "stretching"}),
            symptoms=frozenset({"twitching"}),
            notes='Crampe au mollet — très forte; ふくらはぎ 🦵 "quoted"\nsecond line',
            cramps=(CALF, TOES),
        ),
        NightRecord(date(2026, 10, 2 + offset)),
        NightRecord(
            date(2026, 11, 20 + offset),
            sleep_quality=1,
            red_flags=frozenset({"cramp_wont_stop", "dark_urine"}),
            toxin_exposure=True,
            toxin_substance="lead (Blei, 鉛)",
            cramps=(THIGH,),
        ),
        NightRecord(
            date(2026, 11, 27),
            symptoms=frozenset({"muscle_weakness", "cramps_elsewhere"}),
            red_flags=frozenset({"leg_swollen"}),
            daytime_impairment="none",
            notes="Ça va.",
        ),
    ]


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


@pytest.fixture
def three_diaries(patient, other_patient):
    zoe = User.objects.create_user(
        email="zoe@example.org", password="x" * 20, full_name="Zoë Ōkubo", time_zone="Asia/Tokyo"
    )
    patients = [patient, other_patient, zoe]
    for offset, person in enumerate(patients):
        HealthProfile.objects.filter(patient=person).update(**PROFILES[person.email])
        for record in _nights(offset):
            night_save(patient=person, record=record)
    return patients


def _empty_the_database(patients) -> None:
    Night.objects.all().delete()
    HealthProfile.objects.all().delete()
    User.objects.filter(pk__in=[person.pk for person in patients]).update(
        time_zone=DEFAULT_TIME_ZONE
    )


def test_every_diary_comes_back_from_its_export_unchanged(three_diaries):
    exports = {person.email: diary_export(patient=person) for person in three_diaries}
    for export in exports.values():  # the diaries are rich, so the comparison means something
        assert len(export["nights"]) == 4
        assert any(night["red_flags"] for night in export["nights"])
        assert any(night["toxin_substance"] for night in export["nights"])
        assert any("ふくらはぎ" in night["notes"] for night in export["nights"])
        assert export["profile"]["medications"]

    _empty_the_database(three_diaries)
    assert not Night.objects.exists() and not Cramp.objects.exists()
    assert not HealthProfile.objects.exists()

    for person in three_diaries:
        diary = diary_from_json(
            json.dumps(exports[person.email]),
            latest=LATEST,
            today=TODAY,
            time_zones=time_zone_names(),
        )
        diary_import(patient=User.objects.get(pk=person.pk), diary=diary)

    for person in three_diaries:
        again = diary_export(patient=User.objects.get(pk=person.pk))
        assert again == exports[person.email]
        assert json.dumps(again) == json.dumps(exports[person.email])  # the same file


def test_the_exports_differ_between_patients(three_diaries):
    exports = [diary_export(patient=person) for person in three_diaries]
    assert len({json.dumps(export, sort_keys=True) for export in exports}) == 3
    assert [export["profile"]["time_zone"] for export in exports] == [
        "Europe/London",
        "America/New_York",
        "Asia/Tokyo",
    ]
