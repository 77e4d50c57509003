"""Whole diary files: export, import, round trip, and bad files that change nothing."""

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from accounts.models import User
from diary.exchange import MAX_NIGHTS, ExchangeError, diary_from_json
from diary.models import Night, PendingImport
from diary.nights import diary_export, night_record, night_save
from diary.records import CrampRecord, NightRecord
from tests.diary.examples import EXAMPLE

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
LATEST = date(2026, 11, 27)
ZONES = {"Europe/London", "America/Chicago"}


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def _file(content, name="diary.json"):
    raw = content if isinstance(content, bytes) else json.dumps(content).encode()
    return SimpleUploadedFile(name, raw, content_type="application/json")


def test_the_documented_example_reads():
    diary = diary_from_json(json.dumps(EXAMPLE), latest=LATEST, time_zones=ZONES)
    assert [night.night for night in diary.nights] == [date(2026, 11, 20), date(2026, 11, 21)]
    assert diary.profile["venous_disease"] is True
    assert diary.nights[0].cramps[0].remedies == {"flex_foot", "massage"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe\x00", "not JSON"),
        ({"format": "other", "version": 1}, "not a diary"),
        ({**EXAMPLE, "version": 2}, "version is 2"),
        ({**EXAMPLE, "nights": [{"night": "2026-11-20"}, {"night": "2026-11-20"}]}, "twice"),
        ({**EXAMPLE, "nights": [{"night": "2026-11-28"}]}, "night 2026-11-28, night: is in the fu"),
        ({**EXAMPLE, "profile": {"time_zone": "Moon/Base"}}, "profile, time_zone"),
        ({**EXAMPLE, "profile": {"pregnant": "yes"}}, "profile, pregnant: must be true or false"),
        ({**EXAMPLE, "extra": 1}, "unknown field 'extra'"),
        (
            {
                **EXAMPLE,
                "nights": [
                    {
                        "night": "2026-11-20",
                        "cramps": [
                            {
                                "muscle": "calf",
                                "side": "left",
                                "duration_minutes": 2,
                                "severity": 11,
                            }
                        ],
                    }
                ],
            },
            "night 2026-11-20, cramp 1, severity",
        ),
    ],
)
def test_a_bad_file_is_named_precisely(content, message):
    raw = content if isinstance(content, bytes) else json.dumps(content)
    with pytest.raises(ExchangeError, match=message):
        diary_from_json(raw, latest=LATEST, time_zones=ZONES)


def test_files_over_the_limits_are_refused():
    with pytest.raises(ExchangeError, match="larger than 5 MB"):
        diary_from_json(b" " * (5 * 1024 * 1024 + 1), latest=LATEST, time_zones=ZONES)
    many = {**EXAMPLE, "nights": [{"night": "2000-01-01"}] * (MAX_NIGHTS + 1)}
    with pytest.raises(ExchangeError, match="at most 10000"):
        diary_from_json(json.dumps(many), latest=LATEST, time_zones=ZONES)


def test_export_then_import_gives_an_identical_diary(patient, other_patient, tmp_path):
    night_save(
        patient=patient,
        record=NightRecord(
            date(2026, 11, 20),
            sleep_quality=2,
            daytime_impairment="moderate",
            prevention=frozenset({"fluids", "stretching"}),
            symptoms=frozenset({"muscle_weakness"}),
            toxin_exposure=True,
            toxin_substance="lead",
            notes="ünïcode notes",
            cramps=(
                CrampRecord("calf", "left", 4.25, 7, True, frozenset({"massage"}), "some"),
                CrampRecord("toes", "both", 0.5, 2),
            ),
        ),
    )
    night_save(patient=patient, record=NightRecord(date(2026, 11, 21)))
    exported = json.dumps(diary_export(patient=patient))

    out = StringIO()
    path = tmp_path / "diary.json"
    path.write_text(exported, encoding="utf-8")
    call_command("import_diary", other_patient.email, str(path), stdout=out)
    assert "2 new, 0 replaced" in out.getvalue()
    copied = diary_export(patient=User.objects.get(pk=other_patient.pk))
    assert copied == json.loads(exported)


def test_export_downloads_the_whole_diary(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20)))
    response = patient_client.get("/diary/export/")
    assert response["Content-Disposition"] == (
        'attachment; filename="night-cramp-diary-2026-11-28.json"'
    )
    data = json.loads(response.content)
    assert data["format"] == "night-cramp-diary" and data["version"] == 1
    assert [night["night"] for night in data["nights"]] == ["2026-11-20"]


def test_web_import_shows_new_and_replaced_then_writes_only_when_confirmed(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 21), notes="mine"))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 1), notes="untouched"))
    response = patient_client.post("/diary/import/", {"diary_file": _file(EXAMPLE)})
    assert "1 new, 1 replaced." in response.content.decode()
    assert night_record(patient=patient, night=date(2026, 11, 21)).notes == "mine"
    assert Night.objects.filter(patient=patient).count() == 2

    response = patient_client.post("/diary/import/confirm/")
    assert response.url == "/history/"
    assert night_record(patient=patient, night=date(2026, 11, 21)).notes == ""
    assert night_record(patient=patient, night=date(2026, 11, 1)).notes == "untouched"
    assert night_record(patient=patient, night=date(2026, 11, 20)).cramps[0].severity == 7
    patient.health_profile.refresh_from_db()
    assert patient.health_profile.venous_disease
    assert not PendingImport.objects.exists()
    # The imported nights count at once: venous disease with a cramp night calls for a visit.
    assert "Schedule an office visit" in patient_client.get("/").content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "not JSON"),
        ({**EXAMPLE, "nights": [{"night": "2026-11-20", "sleep_quality": 9}]}, "sleep_quality"),
    ],
)
def test_web_import_of_a_bad_file_says_why_next_to_the_field_and_changes_nothing(
    patient_client, patient, content, message
):
    response = patient_client.post("/diary/import/", {"diary_file": _file(content)})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["diary_file"])
    assert "cannot be loaded" in errors and message in errors
    assert not Night.objects.exists() and not PendingImport.objects.exists()


def test_confirming_with_nothing_waiting_asks_for_the_file_again(patient_client):
    response = patient_client.post("/diary/import/confirm/", follow=True)
    assert "no file waiting" in response.content.decode()


def test_import_diary_command_refuses_a_bad_file_and_writes_nothing(patient, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**EXAMPLE, "nights": [*EXAMPLE["nights"], {"night": "x"}]}))
    with pytest.raises(CommandError, match="night x, night: must be a date"):
        call_command("import_diary", patient.email, str(bad))
    assert not Night.objects.exists()


def test_import_diary_create_makes_a_patient_without_a_password(db, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(EXAMPLE))
    with pytest.raises(CommandError, match="No account"):
        call_command("import_diary", "new@example.org", str(good))
    call_command("import_diary", "new@example.org", str(good), "--create", stdout=StringIO())
    created = User.objects.get(email="new@example.org")
    assert created.is_patient and not created.has_usable_password()
    assert created.nights.count() == 2


def test_import_diary_with_a_bad_file_and_create_makes_no_account(db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    with pytest.raises(CommandError):
        call_command("import_diary", "new@example.org", str(bad), "--create")
    assert not User.objects.exists()


def test_export_diary_command_prints_the_same_as_the_download(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20)))
    out = StringIO()
    call_command("export_diary", patient.email, stdout=out)
    assert json.loads(out.getvalue()) == json.loads(patient_client.get("/diary/export/").content)


def test_triage_command_prints_json_without_storing(patient):
    # Written straight to the table, so that only the command could store a prompt.
    night = Night.objects.create(patient=patient, date=date(2026, 11, 26))
    night.cramps.create(muscle="calf", side="left", duration_minutes=12, severity=9)
    out = StringIO()
    call_command("triage", patient.email, "--on", "2026-11-28", "--json", stdout=out)
    (prompt,) = json.loads(out.getvalue())
    assert set(prompt) == {"level", "rule", "reason", "evidence"}
    assert (prompt["level"], prompt["rule"]) == ("urgent", "severe_persistent")
    assert prompt["evidence"] == ["2026-11-26"]
    assert "9/10 lasting 12 minutes" in prompt["reason"]
    assert not patient.prompts.exists()
    out = StringIO()
    call_command("triage", patient.email, "--on", "2026-12-10", stdout=out)
    assert "No prompts" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/diary/export/", "/diary/import/"])
def test_visitors_are_sent_to_log_in(client, path):
    assert client.get(path).url.startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/diary/export/", "/diary/import/"])
def test_clinicians_get_404(clinician_client, path):
    assert clinician_client.get(path).status_code == 404


def test_another_patients_export_holds_only_their_own_nights(patient, other_client):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20), notes="private"))
    assert json.loads(other_client.get("/diary/export/").content)["nights"] == []
