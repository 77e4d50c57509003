"""Whole diary files: export, import, round trip, and bad files that change nothing."""

import contextlib
import json
import re
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils.html import escape

from accounts.models import User
from accounts.time_zones import time_zone_names
from diary.domain.exchange import MAX_NIGHTS, ExchangeError, diary_from_json
from diary.domain.reasons import reason
from diary.domain.records import CrampRecord, NightRecord
from diary.models import HealthProfile, Night, PendingImport
from diary.services.nights import diary_export, night_record, night_save
from diary.services.prompt_refresh import prompts_firing
from tests.diary.examples import EXAMPLE, EXAMPLE_V1, EXAMPLE_V2

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 28)
LATEST = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def _read(raw):
    return diary_from_json(raw, latest=LATEST, today=TODAY, time_zones=time_zone_names())


def _file(content, name="diary.json"):
    if isinstance(content, str):
        content = content.encode()
    raw = content if isinstance(content, bytes) else json.dumps(content).encode()
    return SimpleUploadedFile(name, raw, content_type="application/json")


def _profile(patient, **answers):
    HealthProfile.objects.update_or_create(patient=patient, defaults=answers)


def _field_error_html(response) -> str:
    """The error text shown beside the file field (the element its input is described by)."""
    html = response.content.decode()
    assert re.search(r'id="id_diary_file"[^>]*aria-describedby="[^"]*id_diary_file_error', html)
    shown = re.search(r'<div id="id_diary_file_error"[^>]*>(.*?)</div>', html, re.S)
    assert shown, "no error beside the file field"
    return shown.group(1)


def test_the_documented_example_reads():
    diary = _read(json.dumps(EXAMPLE))
    assert [night.night for night in diary.nights] == [date(2026, 11, 20), date(2026, 11, 21)]
    assert diary.profile == {
        "venous_disease": True,
        "peripheral_artery_disease": False,
        "pregnant": False,
        "pregnancy_date": None,
        "kidney_disease": False,
        "heart_failure": False,
        "medications": {"statin"},
        "date_of_birth": date(1948, 3, 1),
        "time_zone": "Europe/London",
    }
    assert diary.nights[0].cramps[0].remedies == {"flex_foot", "massage"}
    assert diary.nights[0].red_flags == frozenset()


def test_a_version_1_file_still_reads_with_none_of_the_new_answers():
    diary = _read(json.dumps(EXAMPLE_V1))
    assert [night.red_flags for night in diary.nights] == [frozenset(), frozenset()]
    assert diary.nights == _read(json.dumps(EXAMPLE)).nights
    assert set(diary.profile) == {
        "venous_disease",
        "peripheral_artery_disease",
        "pregnant",
        "date_of_birth",
        "time_zone",
    }


def test_importing_a_version_1_file_keeps_the_answers_it_does_not_have(patient, tmp_path):
    _profile(patient, kidney_disease=True, medication_diuretic=True, venous_disease=False)
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(EXAMPLE_V1))
    call_command("import_diary", patient.email, str(path), stdout=StringIO())
    profile = HealthProfile.objects.get(patient=patient)
    assert profile.venous_disease  # given by the file
    assert profile.kidney_disease and profile.medications == {"diuretic"}  # not in a v1 file
    assert night_record(patient=patient, night=date(2026, 11, 20)).red_flags == frozenset()


def test_a_version_2_file_still_reads_without_heart_failure():
    diary = _read(json.dumps(EXAMPLE_V2))
    assert diary.nights == _read(json.dumps(EXAMPLE)).nights
    assert "heart_failure" not in diary.profile
    assert diary.profile["kidney_disease"] is False


def test_importing_a_version_2_file_keeps_the_heart_failure_answer(patient, tmp_path):
    _profile(patient, heart_failure=True, venous_disease=False)
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(EXAMPLE_V2))
    call_command("import_diary", patient.email, str(path), stdout=StringIO())
    profile = HealthProfile.objects.get(patient=patient)
    assert profile.venous_disease  # given by the file
    assert profile.heart_failure  # not in a version 2 file


def test_a_version_3_file_carries_heart_failure_and_the_new_symptoms(patient, tmp_path):
    symptoms = ["numbness_tingling", "urge_to_move", "pain_on_walking"]
    data = {
        **EXAMPLE,
        "profile": {**EXAMPLE["profile"], "heart_failure": True},
        "nights": [{"night": "2026-11-21", "symptoms": symptoms}],
    }
    path = tmp_path / "v3.json"
    path.write_text(json.dumps(data))
    call_command("import_diary", patient.email, str(path), stdout=StringIO())
    assert HealthProfile.objects.get(patient=patient).heart_failure
    assert night_record(patient=patient, night=date(2026, 11, 21)).symptoms == set(symptoms)
    exported = diary_export(patient=patient)
    assert exported["version"] == 3 and exported["profile"]["heart_failure"] is True
    assert exported["nights"][0]["symptoms"] == symptoms


GOOD_CRAMP = {"muscle": "calf", "side": "left", "duration_minutes": 2, "severity": 5}
UNSTORABLE = "This text holds characters that cannot be stored. Please retype it."
NOT_A_DIARY = "the file is not a diary: it holds values no diary has"
ZONE_LIST = "profile, time_zone: Please pick a time zone from the list."


def _with_night(**fields) -> str:
    return json.dumps({**EXAMPLE, "nights": [{"night": "2026-11-20", **fields}]})


def _with_profile(**fields) -> str:
    return json.dumps({**EXAMPLE, "profile": fields})


def _with_raw(text: str, placeholder: str, raw_json: str) -> str:
    """The file text with one JSON value written by hand (what json.dumps would not write)."""
    assert text.count(placeholder) == 1
    return text.replace(placeholder, raw_json)


# Files the import accepted before the shared checks, and the form refuses: each is named.
REFUSED = [
    pytest.param(
        _with_night(cramps=[GOOD_CRAMP] * 21),
        "night 2026-11-20, cramps: has 21 cramps; at most 20 fit",
        id="21-cramps",
    ),
    pytest.param(
        _with_night(cramps=[{**GOOD_CRAMP, "duration_minutes": 1e-9}]),
        "night 2026-11-20, cramp 1, duration_minutes: "
        "From 0.01 to 240 minutes, please: 0.5 is half a minute.",
        id="duration-1e-9",
    ),
    pytest.param(
        _with_profile(date_of_birth="0001-01-01"),
        "profile, date_of_birth: Please check the year of birth.",
        id="born-year-1",
    ),
    pytest.param(
        _with_profile(date_of_birth="2099-01-01"),
        "profile, date_of_birth: The date of birth cannot be in the future.",
        id="born-2099",
    ),
    pytest.param(_with_profile(time_zone="localtime"), ZONE_LIST, id="zone-localtime"),
    pytest.param(_with_profile(time_zone="Factory"), ZONE_LIST, id="zone-Factory"),
    pytest.param(_with_profile(time_zone="US/Pacific"), ZONE_LIST, id="zone-legacy-alias"),
    pytest.param(
        _with_profile(time_zone=["UTC"]),
        "profile, time_zone: must be text, not a list",
        id="zone-list",
    ),
    pytest.param(
        _with_profile(time_zone={}),
        "profile, time_zone: must be text, not an object",
        id="zone-object",
    ),
    pytest.param(
        json.dumps({**EXAMPLE, "version": True}),
        "this diary reads versions 1, 2 and 3",
        id="version-true",
    ),
    pytest.param(
        json.dumps({**EXAMPLE, "version": 1.0}),
        "this diary reads versions 1, 2 and 3",
        id="version-1.0",
    ),
    pytest.param(
        _with_night(notes=["a", "list"]),
        "night 2026-11-20, notes: must be text, not a list",
        id="notes-list",
    ),
    pytest.param(
        _with_raw(
            _with_night(cramps=[{**GOOD_CRAMP, "severity": 123456789}]),
            "123456789",
            "9" * 5000,  # json.loads refuses integers of more than 4,300 digits (ValueError)
        ),
        NOT_A_DIARY,
        id="severity-5000-digits",
    ),
    pytest.param("[" * 100_000, NOT_A_DIARY, id="nesting-100000"),
    pytest.param(
        _with_raw(_with_night(notes="@"), '"@"', r'"a\u0000b"'),
        f"night 2026-11-20, notes: {UNSTORABLE}",
        id="notes-NUL",
    ),
    pytest.param(
        _with_raw(_with_night(notes="@"), '"@"', r'"a\ud800b"'),
        f"night 2026-11-20, notes: {UNSTORABLE}",
        id="notes-lone-surrogate",
    ),
    pytest.param(
        _with_raw(_with_night(toxin_exposure=True, toxin_substance="@"), '"@"', r'"a\u0000b"'),
        f"night 2026-11-20, toxin_substance: {UNSTORABLE}",
        id="substance-NUL",
    ),
    pytest.param(
        _with_raw(_with_night(toxin_exposure=True, toxin_substance="@"), '"@"', r'"a\ud800b"'),
        f"night 2026-11-20, toxin_substance: {UNSTORABLE}",
        id="substance-lone-surrogate",
    ),
    pytest.param(
        json.dumps({**EXAMPLE_V1, "nights": [{"night": "2026-11-20", "red_flags": []}]}),
        "night 2026-11-20: unknown field 'red_flags'",
        id="v1-with-red-flags",
    ),
    pytest.param(
        json.dumps({**EXAMPLE_V1, "profile": {"kidney_disease": True}}),
        "profile, kidney_disease: a version 1 file may not hold it; it came with version 2",
        id="v1-with-kidney-disease",
    ),
    # An older version may not use a newer version's keys: refused, named, nothing written.
    pytest.param(
        json.dumps({**EXAMPLE_V2, "profile": {**EXAMPLE_V2["profile"], "heart_failure": True}}),
        "profile, heart_failure: a version 2 file may not hold it; it came with version 3",
        id="v2-with-heart-failure",
    ),
    pytest.param(
        json.dumps({**EXAMPLE_V1, "profile": {"heart_failure": False}}),
        "profile, heart_failure: a version 1 file may not hold it; it came with version 3",
        id="v1-with-heart-failure",
    ),
    *(
        pytest.param(
            json.dumps(
                {
                    **EXAMPLE_V2,
                    "nights": [{"night": "2026-11-21", "symptoms": ["twitching", symptom]}],
                }
            ),
            f"night 2026-11-21, symptoms: '{symptom}' is a version 3 symptom; "
            "a version 2 file may not use it",
            id=f"v2-with-{symptom}",
        )
        for symptom in ("numbness_tingling", "urge_to_move", "pain_on_walking")
    ),
    pytest.param(
        json.dumps(
            {**EXAMPLE_V1, "nights": [{"night": "2026-11-21", "symptoms": ["urge_to_move"]}]}
        ),
        "night 2026-11-21, symptoms: 'urge_to_move' is a version 3 symptom; "
        "a version 1 file may not use it",
        id="v1-with-urge_to_move",
    ),
]


@pytest.fixture
def existing(patient):
    """A diary with a night and a profile, to show that a refused file leaves them as they were."""
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20), notes="mine"))
    _profile(patient, kidney_disease=True, medication_statin=True)
    return diary_export(patient=patient)


def _unchanged(patient, existing):
    assert diary_export(patient=User.objects.get(pk=patient.pk)) == existing


@pytest.mark.parametrize(("raw", "message"), REFUSED)
def test_a_refused_file_is_named_clearly(raw, message):
    with pytest.raises(ExchangeError, match=re.escape(message)):
        _read(raw)


@pytest.mark.parametrize(("raw", "message"), REFUSED)
def test_import_diary_refuses_it_and_writes_nothing(patient, existing, tmp_path, raw, message):
    path = tmp_path / "bad.json"
    path.write_text(raw, encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_diary", patient.email, str(path))
    _unchanged(patient, existing)


@pytest.mark.parametrize(("raw", "message"), REFUSED)
def test_web_import_shows_why_beside_the_field_and_keeps_nothing(
    patient_client, patient, existing, raw, message
):
    response = patient_client.post("/diary/import/", {"diary_file": _file(raw)})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["diary_file"])
    assert "cannot be loaded" in errors and message in errors
    assert escape(message) in _field_error_html(response)
    assert not PendingImport.objects.exists()
    _unchanged(patient, existing)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe\x00", "not JSON"),
        ({"format": "other", "version": 1}, "not a diary"),
        (
            {**EXAMPLE, "version": 4},
            "the file's version is 4; this diary reads versions 1, 2 and 3",
        ),
        (
            {**EXAMPLE, "nights": [{"night": "2026-11-20"}, {"night": "2026-11-20"}]},
            "night 2026-11-20: appears twice in the file",
        ),
        (
            {**EXAMPLE, "nights": [{"night": "2026-11-28"}]},
            "night 2026-11-28, night: This night has not happened yet",
        ),
        ({**EXAMPLE, "profile": {"time_zone": "Moon/Base"}}, ZONE_LIST),
        (
            {**EXAMPLE, "profile": {"pregnant": "yes"}},
            "profile, pregnant: must be true or false, not text",
        ),
        (
            {**EXAMPLE, "profile": {"medications": ["aspirin"]}},
            "profile, medications: Please pick from the choices shown.",
        ),
        (
            {**EXAMPLE, "profile": {"pregnant": False, "pregnancy_date": "2026-12-01"}},
            "profile, pregnancy_date: Tick “pregnant or gave birth in the last 12 weeks” too",
        ),
        (
            {**EXAMPLE, "profile": {"pregnant": True, "pregnancy_date": "2020-01-01"}},
            "profile, pregnancy_date: Please check the date",
        ),
        ({**EXAMPLE, "extra": 1}, "unknown field 'extra'"),
        (
            {
                **EXAMPLE,
                "nights": [{"night": "2026-11-20", "cramps": [{**GOOD_CRAMP, "severity": 11}]}],
            },
            "night 2026-11-20, cramp 1, severity: Pick a number from 0 to 10.",
        ),
    ],
)
def test_a_bad_file_is_named_precisely(content, message):
    raw = content if isinstance(content, bytes) else json.dumps(content)
    with pytest.raises(ExchangeError, match=re.escape(message)):
        _read(raw)


def test_files_over_the_limits_are_refused():
    with pytest.raises(ExchangeError, match="larger than 5 MB"):
        _read(b" " * (5 * 1024 * 1024 + 1))
    many = {**EXAMPLE, "nights": [{"night": "2000-01-01"}] * (MAX_NIGHTS + 1)}
    with pytest.raises(ExchangeError, match="at most 10000"):
        _read(json.dumps(many))


def test_export_then_import_gives_an_identical_diary(patient, other_patient, tmp_path):
    _profile(
        patient,
        venous_disease=True,
        pregnant=True,
        pregnancy_date=date(2027, 3, 1),
        kidney_disease=True,
        date_of_birth=date(1990, 5, 17),
        medication_diuretic=True,
        medication_beta_agonist=True,
    )
    night_save(
        patient=patient,
        record=NightRecord(
            date(2026, 11, 20),
            sleep_quality=2,
            daytime_impairment="moderate",
            prevention=frozenset({"fluids", "stretching"}),
            symptoms=frozenset({"muscle_weakness", "twitching", "daytime_cramps"}),
            red_flags=frozenset({"leg_swollen", "dark_urine"}),
            toxin_exposure=True,
            toxin_substance="lead",
            notes="ünïcode notes",
            cramps=(
                CrampRecord("calf", "left", 4.25, 7, True, frozenset({"massage"}), "some"),
                CrampRecord("toes", "both", 0.5, 2),
            ),
        ),
    )
    night_save(
        patient=patient,
        record=NightRecord(
            date(2026, 11, 21),
            symptoms=frozenset({"cramps_elsewhere"}),
            red_flags=frozenset({"cramp_wont_stop", "leg_cold_pale"}),
        ),
    )
    exported_data = diary_export(patient=patient)
    assert exported_data["version"] == 3
    assert exported_data["profile"] == {
        "venous_disease": True,
        "peripheral_artery_disease": False,
        "pregnant": True,
        "pregnancy_date": "2027-03-01",
        "kidney_disease": True,
        "heart_failure": False,
        "medications": ["diuretic", "beta_agonist"],
        "date_of_birth": "1990-05-17",
        "time_zone": "Europe/London",
    }
    exported = json.dumps(exported_data)

    out = StringIO()
    path = tmp_path / "diary.json"
    path.write_text(exported, encoding="utf-8")
    call_command("import_diary", other_patient.email, str(path), stdout=out)
    assert "2 new, 0 replaced" in out.getvalue()
    copy = User.objects.get(pk=other_patient.pk)
    assert diary_export(patient=copy) == json.loads(exported)
    for night in (date(2026, 11, 20), date(2026, 11, 21)):
        assert night_record(patient=copy, night=night) == night_record(patient=patient, night=night)
    assert copy.health_profile.medications == {"diuretic", "beta_agonist"}


def test_export_downloads_the_whole_diary(patient_client, patient):
    night_save(
        patient=patient, record=NightRecord(date(2026, 11, 20), red_flags=frozenset({"dark_urine"}))
    )
    response = patient_client.get("/diary/export/")
    assert response["Content-Disposition"] == (
        'attachment; filename="night-cramp-diary-2026-11-28.json"'
    )
    data = json.loads(response.getvalue())
    assert data["format"] == "night-cramp-diary" and data["version"] == 3
    assert [night["night"] for night in data["nights"]] == ["2026-11-20"]
    assert data["nights"][0]["red_flags"] == ["dark_urine"]
    assert {"kidney_disease", "heart_failure", "pregnancy_date", "medications"} <= set(
        data["profile"]
    )


def test_web_import_shows_new_and_replaced_then_writes_only_when_confirmed(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 21), notes="mine"))
    night_save(
        patient=patient,
        record=NightRecord(
            date(2026, 11, 1), notes="untouched", cramps=(CrampRecord("calf", "left", 1, 4),)
        ),
    )
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
    assert patient.health_profile.medications == {"statin"}
    assert patient.health_profile.date_of_birth == date(1948, 3, 1)
    assert not PendingImport.objects.exists()
    # The imported nights count at once: venous disease with 2 painful cramp nights calls for a
    # visit.
    assert "Schedule an office visit" in patient_client.get("/").content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "not JSON"),
        (
            {**EXAMPLE, "nights": [{"night": "2026-11-20", "sleep_quality": 9}]},
            "night 2026-11-20, sleep_quality: Please pick one of the choices shown.",
        ),
    ],
)
def test_web_import_of_a_bad_file_says_why_next_to_the_field_and_changes_nothing(
    patient_client, patient, content, message
):
    response = patient_client.post("/diary/import/", {"diary_file": _file(content)})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["diary_file"])
    assert "cannot be loaded" in errors and message in errors
    assert escape(message) in _field_error_html(response)
    assert not Night.objects.exists() and not PendingImport.objects.exists()


def test_web_import_of_a_night_named_with_a_lone_surrogate_is_refused_plainly(
    patient_client, patient
):
    raw = _with_raw(_with_night(), '"2026-11-20"', r'"\ud800"')
    response = patient_client.post("/diary/import/", {"diary_file": _file(raw)})
    assert response.status_code == 200
    assert "a night, night: must be a date written YYYY-MM-DD" in _field_error_html(response)
    assert not PendingImport.objects.exists()


def test_an_imported_pregnancy_date_never_leaves_the_pregnancy_unticked(patient, tmp_path):
    path = tmp_path / "date-only.json"
    path.write_text(json.dumps({**EXAMPLE, "profile": {"pregnancy_date": "2026-12-01"}}))
    # Refusing the file is as good as storing a consistent profile.
    with contextlib.suppress(CommandError):
        call_command("import_diary", patient.email, str(path), stdout=StringIO())
    profile = HealthProfile.objects.filter(patient=patient).first()
    assert profile is None or profile.pregnant or profile.pregnancy_date is None


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
    assert json.loads(out.getvalue()) == json.loads(patient_client.get("/diary/export/").getvalue())


def test_triage_command_prints_json_without_storing(patient):
    # Written straight to the table, so that only the command could store a prompt.
    night = Night.objects.create(
        patient=patient, date=date(2026, 11, 26), red_flag_cramp_wont_stop=True
    )
    night.cramps.create(muscle="calf", side="left", duration_minutes=5, severity=9)
    out = StringIO()
    call_command("triage", patient.email, "--on", "2026-11-28", "--json", stdout=out)
    (prompt,) = json.loads(out.getvalue())
    assert set(prompt) == {"level", "rule", "reason", "evidence"}
    assert (prompt["level"], prompt["rule"]) == ("urgent", "severe_persistent")
    assert prompt["evidence"] == ["2026-11-26"]
    (finding,) = prompts_firing(patient=patient, today=TODAY)
    assert prompt["reason"] == reason(finding.rule, finding.figures)
    assert (
        prompt["reason"] == "On the night of 26 Nov you noted a severe cramp that would not stop."
    )
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
    assert json.loads(other_client.get("/diary/export/").getvalue())["nights"] == []
