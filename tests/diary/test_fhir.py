"""The FHIR R4 export (diary.domain.fhir) and its download: every bundle is checked against
fhir.resources' R4B models, so an invalid resource fails a test."""

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from pydantic import ValidationError

from accounts.models import AccessRecord, CareLink, Role, User
from accounts.sharing import care_link_create
from diary.domain import fhir
from diary.domain.demo import demo_patients
from diary.domain.exchange import Diary
from diary.domain.records import CrampRecord, NightRecord, TreatmentRecord
from diary.models import Prompt
from diary.services.nights import diary_import, night_save
from diary.services.treatments import treatment_save
from tests.prepared import prepared_download

BASE = "https://diary.example.org/fhir"
GENERATED = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
MORNING = GENERATED
TODAY = date(2026, 11, 28)
ALICE = fhir.PatientRecord("pub-alice", "Alice Walker", date(1948, 3, 1))
CALF = CrampRecord("calf", "left", 4, 7, True, frozenset({"massage", "flex_foot"}), "some")
TOES = CrampRecord("toes", "both", 0.5, 3)
FULL_NIGHT = NightRecord(
    date(2026, 11, 20),
    sleep_quality=2,
    daytime_impairment="moderate",
    prevention=frozenset({"fluids", "stretching"}),
    symptoms=frozenset({"twitching"}),
    red_flags=frozenset({"leg_swollen"}),
    toxin_exposure=True,
    toxin_substance="lead",
    notes="Woke twice <b>",
    cramps=(CALF, TOES),
    bed_time=time(22, 30),
    try_sleep_time=time(23, 0),
    sleep_onset_minutes=20,
    awakenings=2,
    awake_minutes=35,
    final_wake_time=time(6, 10),
    out_of_bed_time=time(6, 40),
)
CLOT = fhir.PromptRecord(
    rule="clot_signs",
    level="Contact a doctor today",
    title="Signs of a clot",
    reason="She ticked a swollen calf on 20 Nov <script>.",
    first_raised=date(2026, 11, 21),
)


MAGNESIUM = TreatmentRecord(
    "Magnesium citrate", "magnesium", date(2026, 9, 1), date(2026, 10, 31), "300 mg at night"
)
QUININE = TreatmentRecord("Quinine sulfate", "quinine", date(2026, 11, 1), None, "200 mg")
VITAMIN_B = TreatmentRecord("Vitamin B", "vitamin_b", date(2026, 11, 10), date(2026, 11, 28))
STRETCHING = TreatmentRecord("Calf stretches", "stretching", date(2026, 10, 1))
OTHER = TreatmentRecord("Tonic water", "other", date(2026, 10, 1))


def _bundle(nights=(), prompts=(), patient=ALICE, treatments=()) -> dict:
    data = fhir.diary_bundle(
        base=BASE,
        patient=patient,
        nights=list(nights),
        prompts=list(prompts),
        generated=GENERATED,
        treatments=list(treatments),
    )
    Bundle.model_validate(data)  # raises on any invalid resource
    return data


def _resources(bundle: dict, kind: str) -> list[dict]:
    return [
        entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == kind
    ]


def _entries(bundle: dict, kind: str) -> list[dict]:
    return [entry for entry in bundle["entry"] if entry["resource"]["resourceType"] == kind]


# The bundle, from plain records


def test_an_empty_range_is_a_valid_collection_holding_only_the_patient():
    bundle = _bundle()
    assert bundle["type"] == "collection"
    assert bundle["timestamp"] == "2026-11-28T09:00:00+00:00"
    (patient,) = [entry["resource"] for entry in bundle["entry"]]
    assert patient["resourceType"] == "Patient"
    assert patient["name"] == [{"text": "Alice Walker"}]
    assert patient["birthDate"] == "1948-03-01"


def test_a_patient_without_a_birth_date_has_none():
    bundle = _bundle(patient=fhir.PatientRecord("pub-bob", "Bob"))
    assert "birthDate" not in _resources(bundle, "Patient")[0]


def test_a_cramp_free_range_has_a_response_per_night_and_no_observation():
    nights = [NightRecord(date(2026, 11, 20)), NightRecord(date(2026, 11, 21), sleep_quality=4)]
    bundle = _bundle(nights)
    responses = _resources(bundle, "QuestionnaireResponse")
    assert len(responses) == 2
    assert not _resources(bundle, "Observation")
    quiet = {item["linkId"]: item["answer"] for item in responses[0]["item"]}
    assert quiet == {
        "night": [{"valueDate": "2026-11-20"}],
        "toxin_exposure": [{"valueBoolean": False}],
        "times_woken": [{"valueInteger": 0}],
    }


def test_a_night_answers_every_field_and_each_cramp_as_a_group():
    (response,) = _resources(_bundle([FULL_NIGHT]), "QuestionnaireResponse")
    assert response["status"] == "completed"
    assert response["questionnaire"] == f"{BASE}/Questionnaire/night-cramp-diary"
    answers = {item["linkId"]: item.get("answer") for item in response["item"]}
    codes = {
        link_id: [answer.get("valueCoding", {}).get("code") for answer in found]
        for link_id, found in answers.items()
        if link_id != "cramp"
    }
    assert codes["daytime_impairment"] == ["moderate"]
    assert codes["prevention"] == ["fluids", "stretching"]
    assert codes["symptoms"] == ["twitching"]
    assert codes["red_flags"] == ["leg_swollen"]
    assert answers["sleep_quality"] == [{"valueInteger": 2}]
    assert answers["toxin_exposure"] == [{"valueBoolean": True}]
    assert answers["toxin_substance"] == [{"valueString": "lead"}]
    assert answers["notes"] == [{"valueString": "Woke twice <b>"}]
    assert answers["times_woken"] == [{"valueInteger": 1}]
    assert answers["bed_time"] == [{"valueTime": "22:30:00"}]
    assert answers["final_wake_time"] == [{"valueTime": "06:10:00"}]
    assert answers["sleep_onset_minutes"] == [{"valueInteger": 20}]
    assert answers["awakenings"] == [{"valueInteger": 2}]
    groups = [item["item"] for item in response["item"] if item["linkId"] == "cramp"]
    assert len(groups) == 2
    first = {item["linkId"]: item["answer"] for item in groups[0]}
    assert first["muscle"][0]["valueCoding"]["code"] == "calf"
    assert first["side"][0]["valueCoding"]["code"] == "left"
    assert first["duration_minutes"] == [{"valueDecimal": 4}]
    assert first["severity"] == [{"valueInteger": 7}]
    assert first["woke"] == [{"valueBoolean": True}]
    assert [a["valueCoding"]["code"] for a in first["remedies"]] == ["flex_foot", "massage"]
    assert first["relief"][0]["valueCoding"]["code"] == "some"
    second = {item["linkId"]: item["answer"] for item in groups[1]}
    assert second["duration_minutes"] == [{"valueDecimal": 0.5}]
    assert "remedies" not in second and "relief" not in second


def _questions(items, prefix=""):
    for item in items:
        yield prefix + item["linkId"], item
        yield from _questions(item.get("item", []), prefix + item["linkId"] + "/")


VALUE_OF_TYPE = {
    "date": "valueDate",
    "time": "valueTime",
    "integer": "valueInteger",
    "decimal": "valueDecimal",
    "boolean": "valueBoolean",
    "string": "valueString",
    "text": "valueString",
    "choice": "valueCoding",
}


def _check_answers(items, questions, prefix=""):
    for item in items:
        path = prefix + item["linkId"]
        question = questions[path]
        assert item["text"] == question["text"]
        if question["type"] == "group":
            _check_answers(item["item"], questions, path + "/")
            continue
        answers = item["answer"]
        assert answers, path
        assert len(answers) == 1 or question.get("repeats"), path
        for answer in answers:
            (key,) = answer
            assert key == VALUE_OF_TYPE[question["type"]], path
            if key == "valueCoding":
                assert {"valueCoding": answer[key]} in question["answerOption"], path


def test_every_answer_fits_its_question_in_the_questionnaire():
    questions = dict(_questions(fhir.questionnaire(BASE)["item"]))
    (response,) = _resources(_bundle([FULL_NIGHT]), "QuestionnaireResponse")
    _check_answers(response["item"], questions)
    answered = {item["linkId"] for item in response["item"]}
    answered |= {
        f"cramp/{item['linkId']}" for group in response["item"][-2:] for item in group["item"]
    }
    assert answered == set(questions), "the full night answers every question"


def test_the_questionnaire_is_a_valid_r4b_questionnaire_of_every_night_field():
    data = fhir.questionnaire(BASE)
    Questionnaire.model_validate(data)
    assert data["url"] == f"{BASE}/Questionnaire/night-cramp-diary"
    assert data["status"] == "active"
    night_fields = {name for name in NightRecord.__dataclass_fields__ if name != "cramps"}
    cramp_fields = set(CrampRecord.__dataclass_fields__)
    questions = dict(_questions(data["item"]))
    assert night_fields | {"times_woken", "cramp"} == {q for q in questions if "/" not in q}
    assert {f"cramp/{name}" for name in cramp_fields} == {q for q in questions if "/" in q}
    assert questions["cramp"]["repeats"] is True


def test_each_cramp_is_an_observation_of_pain_severity_derived_from_its_night():
    bundle = _bundle([FULL_NIGHT, NightRecord(date(2026, 11, 21), cramps=(CALF,))])
    observations = _resources(bundle, "Observation")
    assert len(observations) == 3
    first = observations[0]
    assert first["status"] == "final"
    assert first["category"][0]["coding"][0]["code"] == "survey"
    assert first["code"]["coding"] == [
        {
            "system": "http://loinc.org",
            "code": "72514-3",
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        }
    ]
    assert first["valueInteger"] == 7
    assert first["effectiveDateTime"] == "2026-11-20"
    assert first["bodySite"] == {"text": "left calf"}
    (duration,) = first["component"]
    assert duration["valueQuantity"] == {
        "value": 4,
        "unit": "min",
        "system": "http://unitsofmeasure.org",
        "code": "min",
    }
    responses = _entries(bundle, "QuestionnaireResponse")
    patient_url = bundle["entry"][0]["fullUrl"]
    assert [o["derivedFrom"] for o in observations] == [
        [{"reference": responses[0]["fullUrl"]}],
        [{"reference": responses[0]["fullUrl"]}],
        [{"reference": responses[1]["fullUrl"]}],
    ]
    assert all(o["subject"]["reference"] == patient_url for o in observations)
    assert observations[1]["bodySite"] == {"text": "toes of both feet"}
    assert observations[1]["component"][0]["valueQuantity"]["value"] == 0.5


@pytest.mark.parametrize(
    ("muscle", "side", "words"),
    [
        ("calf", "left", "left calf"),
        ("foot", "both", "both feet"),
        ("thigh_back", "right", "right thigh (back)"),
        ("other", "left", "left other muscle"),
    ],
)
def test_the_body_site_names_the_side(muscle, side, words):
    assert fhir.body_site(CrampRecord(muscle, side, 1, 5)) == words


def test_the_same_diary_gives_the_same_bundle_and_unique_ids():
    first = _bundle([FULL_NIGHT], [CLOT])
    assert first == _bundle([FULL_NIGHT], [CLOT])
    urls = [entry["fullUrl"] for entry in first["entry"]]
    assert len(set(urls)) == len(urls)
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", url) for url in urls)
    other = _bundle([FULL_NIGHT], [CLOT], patient=fhir.PatientRecord("pub-bob", "Bob"))
    assert not set(urls) & {entry["fullUrl"] for entry in other["entry"]}
    # A night keeps its id when the range around it changes.
    wider = _bundle([NightRecord(date(2026, 11, 19)), FULL_NIGHT])
    assert set(urls[:4]) <= {entry["fullUrl"] for entry in wider["entry"]}


def test_current_prompts_are_active_clinical_flags_with_the_reason():
    (flag,) = _resources(_bundle(prompts=[CLOT]), "Flag")
    assert flag["status"] == "active"
    assert flag["category"][0]["coding"][0]["code"] == "clinical"
    assert flag["code"]["text"] == "Signs of a clot"
    assert flag["code"]["coding"][0]["code"] == "clot_signs"
    assert flag["period"] == {"start": "2026-11-21"}
    div = flag["text"]["div"]
    assert "on 20 Nov &lt;script&gt;." in div and "<script>" not in div
    assert "Contact a doctor today" in div


def test_each_medicine_is_a_medication_statement_with_its_dates_and_dose():
    bundle = _bundle(treatments=[MAGNESIUM, QUININE, VITAMIN_B, STRETCHING, OTHER])
    statements = _resources(bundle, "MedicationStatement")
    assert [s["medicationCodeableConcept"]["text"] for s in statements] == [
        "Magnesium citrate",
        "Quinine sulfate",
        "Vitamin B",
    ]  # stretching is no medicine, and "another medicine or remedy" may not be one
    magnesium, quinine, vitamin_b = statements
    assert magnesium["effectivePeriod"] == {"start": "2026-09-01", "end": "2026-10-31"}
    assert magnesium["dosage"] == [{"text": "300 mg at night"}]
    assert magnesium["status"] == "completed"
    assert magnesium["medicationCodeableConcept"]["coding"] == [
        {
            "system": f"{BASE}/CodeSystem/night-cramp-diary-treatment-kind",
            "code": "magnesium",
            "display": "Magnesium",
        }
    ]
    assert magnesium["subject"]["reference"] == bundle["entry"][0]["fullUrl"]
    assert quinine["effectivePeriod"] == {"start": "2026-11-01"}
    assert quinine["status"] == "active" and quinine["dosage"] == [{"text": "200 mg"}]
    assert quinine["medicationCodeableConcept"]["coding"][0]["display"] == "Quinine"
    # Its last night is the day the bundle was made: still taken.
    assert vitamin_b["status"] == "active" and "dosage" not in vitamin_b


def test_a_medicine_keeps_its_id_whatever_the_case_of_its_name():
    (first,) = _entries(_bundle(treatments=[QUININE]), "MedicationStatement")
    renamed = replace(QUININE, name="QUININE SULFATE", dose="300 mg")
    (again,) = _entries(_bundle(treatments=[renamed]), "MedicationStatement")
    assert first["fullUrl"] == again["fullUrl"]
    assert first["resource"]["identifier"] == [
        {"system": "urn:ietf:rfc:3986", "value": first["fullUrl"]}
    ]
    later = replace(QUININE, start=date(2026, 11, 2))
    (other,) = _entries(_bundle(treatments=[later]), "MedicationStatement")
    assert other["fullUrl"] != first["fullUrl"]


def _doc_blocks() -> list[dict]:
    text = (Path(__file__).resolve().parents[2] / "docs" / "fhir.md").read_text()
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)\n```", text, re.S)]


def test_the_samples_in_the_docs_are_what_the_export_builds():
    flag_sample, bundle_sample, medicine_sample = _doc_blocks()
    alice = fhir.PatientRecord("q8nYf2Lr0aVbT1sE", "Alice Walker", date(1948, 3, 1))
    night = NightRecord(
        date(2026, 11, 20),
        sleep_quality=2,
        cramps=(CrampRecord("calf", "left", 4, 7, True, frozenset(), "some"),),
    )
    built = fhir.diary_bundle(
        base=BASE, patient=alice, nights=[night], prompts=[], generated=GENERATED
    )
    assert bundle_sample == built
    prompt = fhir.PromptRecord(
        rule="clot_signs",
        level="Contact a doctor today",
        title="A swollen, red or warm calf",
        reason="Reported a swollen, red, warm or tender calf or leg on the night of 26 Nov.",
        first_raised=date(2026, 11, 27),
    )
    flagged = _bundle(prompts=[prompt], patient=alice)
    assert flag_sample == _resources(flagged, "Flag")[0]
    magnesium = TreatmentRecord(
        "Magnesium citrate", "magnesium", date(2026, 10, 1), None, "300 mg at night"
    )
    (statement,) = _resources(_bundle(patient=alice, treatments=[magnesium]), "MedicationStatement")
    assert medicine_sample == statement


def test_the_import_recipe_gives_a_valid_transaction_that_skips_what_is_held():
    """docs/fhir.md's jq recipe, in Python."""
    bundle = _bundle([FULL_NIGHT], [CLOT])
    bundle["type"] = "transaction"
    for entry in bundle["entry"]:
        resource = entry["resource"]
        identifier = resource["identifier"]
        identifier = identifier[0] if isinstance(identifier, list) else identifier
        entry["request"] = {
            "method": "POST",
            "url": resource["resourceType"],
            "ifNoneExist": f"identifier={identifier['system']}|{identifier['value']}",
        }
        if resource["resourceType"] != "Patient":
            assert identifier == {"system": "urn:ietf:rfc:3986", "value": entry["fullUrl"]}
    Bundle.model_validate(bundle)


def test_an_invalid_resource_fails_validation():
    bundle = _bundle([FULL_NIGHT])
    del _resources(bundle, "Observation")[0]["status"]
    with pytest.raises(ValidationError):
        Bundle.model_validate(bundle)


# The download


@pytest.fixture
def diary(patient, clock):
    clock(MORNING)
    patient.health_profile.date_of_birth = date(1948, 3, 1)
    patient.health_profile.save()
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(CALF, CALF)))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 26)))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20), cramps=(CALF,)))
    return patient


def _url(patient) -> str:
    return f"/clinic/patients/{patient.public_id}/fhir/"


def _download(client, patient, query="") -> dict:
    response = prepared_download(client, _url(patient) + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    data = json.loads(response.content)
    Bundle.model_validate(data)
    return data


def test_only_the_linked_clinician_may_download(client, diary, other_client, clinicians):
    path = _url(diary)
    assert client.get(path).url.startswith("/accounts/login/")
    patient_client = Client()
    patient_client.force_login(diary)
    assert patient_client.get(path).status_code == 404
    assert other_client.get(path).status_code == 404
    assert clinicians["unlinked"].get(path).status_code == 404
    assert clinicians["revoked"].get(path).status_code == 404
    assert not AccessRecord.objects.exists()
    assert clinicians["linked"].get(path).status_code == 302  # to the page that waits for it
    assert not AccessRecord.objects.exists()  # recorded when the file is downloaded
    assert prepared_download(clinicians["linked"], path).status_code == 200
    (record,) = AccessRecord.objects.all()
    assert (record.clinician, record.what, record.at) == (
        clinicians["users"]["linked"],
        "fhir",
        MORNING,
    )


def test_the_patient_reads_that_the_fhir_export_was_downloaded(diary, clinicians):
    prepared_download(clinicians["linked"], _url(diary))
    patient_client = Client()
    patient_client.force_login(diary)
    assert "downloaded FHIR" in patient_client.get("/sharing/").content.decode()


def test_the_download_is_the_summary_range_named_like_the_other_downloads(diary, clinicians):
    response = prepared_download(clinicians["linked"], _url(diary) + "?range=30")
    assert response["Content-Disposition"] == (
        f'attachment; filename="cramp-summary-{diary.public_id}-2026-11-20-2026-11-27.fhir.json"'
    )
    bundle = _download(clinicians["linked"], diary, "?range=30")
    patient = _resources(bundle, "Patient")[0]
    assert (patient["name"], patient["birthDate"]) == ([{"text": "Alice Walker"}], "1948-03-01")
    assert len(_resources(bundle, "QuestionnaireResponse")) == 3
    assert len(_resources(bundle, "Observation")) == 3
    custom = "?range=custom&start=2026-11-26&end=2026-11-27"
    bundle = _download(clinicians["linked"], diary, custom)
    assert len(_resources(bundle, "QuestionnaireResponse")) == 2
    link = CareLink.objects.get(clinician=clinicians["users"]["linked"], status="active")
    link.last_appointment = date(2026, 11, 22)  # the summary starts there by default
    link.save()
    bundle = _download(clinicians["linked"], diary)
    nights = [
        r["item"][0]["answer"][0]["valueDate"] for r in _resources(bundle, "QuestionnaireResponse")
    ]
    assert nights == ["2026-11-26", "2026-11-27"]


def test_the_download_holds_the_medicines_taken_during_its_range(diary, clinicians):
    today = date(2026, 11, 28)
    for record in (QUININE, VITAMIN_B, replace(MAGNESIUM, stop=date(2026, 11, 19)), STRETCHING):
        treatment_save(patient=diary, record=record, today=today)
    # The range runs from the diary's first night, 20 Nov, to 27 Nov: magnesium ended the
    # night before it, and stretching is no medicine.
    bundle = _download(clinicians["linked"], diary, "?range=30")
    names = [
        s["medicationCodeableConcept"]["text"] for s in _resources(bundle, "MedicationStatement")
    ]
    assert sorted(names) == ["Quinine sulfate", "Vitamin B"]


def test_a_range_without_nights_is_a_valid_bundle(diary, clinicians):
    custom = "?range=custom&start=2026-11-21&end=2026-11-25"
    bundle = _download(clinicians["linked"], diary, custom)
    assert [entry["resource"]["resourceType"] for entry in bundle["entry"]] == ["Patient"]


def test_the_summary_links_the_fhir_download_for_the_clinician_only(diary, clinicians):
    page = clinicians["linked"].get(f"/clinic/patients/{diary.public_id}/?range=30")
    assert f'href="{_url(diary)}?range=30">FHIR (JSON)</a>' in page.content.decode()
    patient_client = Client()
    patient_client.force_login(diary)
    assert "FHIR" not in patient_client.get("/summary/").content.decode()


def test_the_questionnaire_is_public_and_the_one_the_nights_answer(client, diary, clinicians):
    response = client.get("/fhir/Questionnaire/night-cramp-diary")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    served = json.loads(response.content)
    Questionnaire.model_validate(served)
    assert served["url"] == "https://testserver/fhir/Questionnaire/night-cramp-diary"
    bundle = _download(clinicians["linked"], diary)
    responses = _resources(bundle, "QuestionnaireResponse")
    assert {r["questionnaire"] for r in responses} == {served["url"]}
    questions = dict(_questions(served["item"]))
    for response_resource in responses:
        _check_answers(response_resource["item"], questions)


def test_the_demo_diaries_export_as_valid_bundles(db, clock):
    """Every demo patient (seed_demo's diaries), all nights: one Observation per cramp, one
    response per logged night, one Flag per current prompt."""
    clock(MORNING)
    clinician = User.objects.create_user(
        email="dr.demo@example.org", full_name="Dr Demo", role=Role.CLINICIAN
    )
    as_clinician = Client()
    as_clinician.force_login(clinician)
    flags = 0
    for demo in demo_patients(TODAY):
        patient = User.objects.create_user(
            email=demo.email, full_name=demo.full_name, time_zone=demo.time_zone
        )
        profile = {
            "venous_disease": demo.venous_disease,
            "pregnant": demo.pregnant,
            "pregnancy_date": demo.pregnancy_date,
            "medications": demo.medications,
            "date_of_birth": demo.date_of_birth,
        }
        diary_import(patient=patient, diary=Diary(profile=profile, nights=demo.nights))
        care_link_create(patient=patient, clinician=clinician)
        bundle = _download(as_clinician, patient, "?range=all")
        cramps = sum(len(night.cramps) for night in demo.nights)
        assert len(_resources(bundle, "Observation")) == cramps
        assert len(_resources(bundle, "QuestionnaireResponse")) == len(demo.nights)
        current = Prompt.objects.filter(patient=patient, ended__isnull=True).count()
        assert len(_resources(bundle, "Flag")) == current
        flags += current
        patient_resource = _resources(bundle, "Patient")[0]
        assert patient_resource["name"] == [{"text": demo.full_name}]
        if demo.date_of_birth:
            assert patient_resource["birthDate"] == demo.date_of_birth.isoformat()
    assert flags, "the demo raises prompts, so Flags are checked too"
