"""Treatments end to end: the pages of the patient and of a linked clinician, who may change
what, the access record, the checks, the exchange format, the charts and summaries, the
quinine review, and the demo's treatment that worked."""

import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from accounts.models import AccessRecord, Role, User
from accounts.sharing import care_link_create
from diary.domain.exchange import ExchangeError, diary_from_json
from diary.domain.records import CrampRecord, NightRecord, TreatmentRecord
from diary.domain.vocabulary import MAX_TREATMENTS
from diary.models import Prompt, Treatment
from diary.services.dates import patient_today
from diary.services.nights import diary_export, diary_import, night_save
from diary.services.treatments import treatment_save
from tests.prepared import prepared_download

CALF = CrampRecord("calf", "left", 2, 5)


def _today(patient):
    return patient_today(patient)


def _form(patient, **fields):
    start = _today(patient) - timedelta(days=40)
    return {"kind": "magnesium", "name": "", "start": start.isoformat(), "dose": "", **fields}


def _log(patient, start, before_cramps=2, after_cramps=0):
    """56 nights before `start` with `before_cramps` a night, then every night up to last
    night with `after_cramps` (the verdicts' windows fully logged)."""
    last = _today(patient) - timedelta(days=1)
    night = start - timedelta(days=56)
    while night <= last:
        cramps = before_cramps if night < start else after_cramps
        night_save(patient=patient, record=NightRecord(night, cramps=(CALF,) * cramps))
        night += timedelta(days=1)


# The patient's page


def test_a_patient_adds_a_treatment_and_sees_its_verdict(patient, patient_client):
    start = _today(patient) - timedelta(days=40)
    _log(patient, start, before_cramps=2, after_cramps=0)
    response = patient_client.post("/treatments/", _form(patient, dose="300 mg at night"))
    assert response.status_code == 302
    treatment = Treatment.objects.get(patient=patient)
    assert (treatment.name, treatment.kind, treatment.start) == ("Magnesium", "magnesium", start)
    assert treatment.added_by is None
    page = patient_client.get("/treatments/").content.decode()
    assert "Magnesium" in page and "300 mg at night" in page
    assert "Fewer cramps" in page and "\u2212100%" in page  # 14 a week before, none after


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "other", "name": ""}, "name", "What is it called?"),
        ({"name": "x" * 101}, "name", "at most 100 characters"),
        ({"name": "Mag\x00nesium"}, "name", "Null characters are not allowed"),
        ({"kind": "cocaine"}, "kind", "Select a valid choice"),
        ({"start": "2026-02-30"}, "start", "Enter a valid date"),
        ({"start": ""}, "start", "On which night did you start?"),
        ({"start": "1899-12-31"}, "start", "check the year"),
        ({"dose": "d" * 101}, "dose", "at most 100 characters"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_saves_nothing(
    patient, patient_client, fields, field, message
):
    response = patient_client.post("/treatments/", _form(patient, **fields))
    assert response.status_code == 400
    errors = " ".join(str(e) for e in response.context["form"].errors.get(field, []))
    assert message.lower() in errors.lower()
    assert not Treatment.objects.exists()


@pytest.mark.parametrize(("days_ahead", "refused"), [(0, False), (1, True)])
def test_a_treatment_starts_tonight_at_the_latest(patient, patient_client, days_ahead, refused):
    start = _today(patient) + timedelta(days=days_ahead)
    response = patient_client.post("/treatments/", _form(patient, start=start.isoformat()))
    assert (response.status_code == 400) == refused
    assert Treatment.objects.exists() != refused


@pytest.mark.parametrize(("days_after", "refused"), [(-1, True), (0, False)])
def test_the_last_night_is_not_before_the_first(patient, patient_client, days_after, refused):
    start = _today(patient) - timedelta(days=10)
    stop = start + timedelta(days=days_after)
    fields = {"start": start.isoformat(), "stop": stop.isoformat()}
    response = patient_client.post("/treatments/", _form(patient, **fields))
    assert (response.status_code == 400) == refused


def test_the_same_treatment_from_the_same_night_is_refused(patient, patient_client):
    assert patient_client.post("/treatments/", _form(patient)).status_code == 302
    response = patient_client.post("/treatments/", _form(patient, name="MAGNESIUM"))
    assert response.status_code == 400
    assert "already in your diary" in str(response.context["form"].errors["start"])
    assert Treatment.objects.count() == 1


def test_a_diary_holds_at_most_so_many_treatments(patient, patient_client):
    start = _today(patient) - timedelta(days=5)
    Treatment.objects.bulk_create(
        Treatment(patient=patient, kind="other", name=f"T{i}", start=start)
        for i in range(MAX_TREATMENTS)
    )
    response = patient_client.post("/treatments/", _form(patient, name="One more"))
    assert response.status_code == 400
    assert Treatment.objects.count() == MAX_TREATMENTS


def test_the_patient_changes_and_removes_a_treatment(patient, patient_client):
    patient_client.post("/treatments/", _form(patient))
    treatment = Treatment.objects.get()
    stop = _today(patient).isoformat()
    response = patient_client.post(f"/treatments/{treatment.pk}/", _form(patient, stop=stop))
    assert response.status_code == 302
    treatment.refresh_from_db()
    assert treatment.stop == _today(patient)
    asked = patient_client.get(f"/treatments/{treatment.pk}/remove/")
    assert asked.status_code == 200 and "Remove this treatment?" in asked.content.decode()
    assert Treatment.objects.exists()  # asking removes nothing
    assert patient_client.post(f"/treatments/{treatment.pk}/remove/").status_code == 302
    assert not Treatment.objects.exists()


def test_another_patients_treatment_is_a_404(patient, patient_client, other_patient, other_client):
    patient_client.post("/treatments/", _form(patient))
    treatment = Treatment.objects.get()
    assert other_client.get(f"/treatments/{treatment.pk}/").status_code == 404
    assert other_client.post(f"/treatments/{treatment.pk}/", _form(patient)).status_code == 404
    assert other_client.get(f"/treatments/{treatment.pk}/remove/").status_code == 404
    assert other_client.post(f"/treatments/{treatment.pk}/remove/").status_code == 404
    assert "No treatments yet" in other_client.get("/treatments/").content.decode()
    assert Treatment.objects.filter(pk=treatment.pk, stop__isnull=True).exists()


def test_the_treatments_page_is_for_patients(client, clinician_client):
    assert client.get("/treatments/").url.startswith("/accounts/login/")
    assert clinician_client.get("/treatments/").status_code in (403, 404)


# A clinician on the link


def _clinic(patient, rest=""):
    return f"/clinic/patients/{patient.public_id}/treatments/{rest}"


def test_a_linked_clinician_adds_a_treatment_recorded_as_theirs(patient, clinicians):
    linked = clinicians["linked"]
    assert linked.get(_clinic(patient)).status_code == 200
    response = linked.post(_clinic(patient), _form(patient, kind="quinine", name="Quinine"))
    assert response.status_code == 302
    treatment = Treatment.objects.get()
    assert treatment.added_by == clinicians["users"]["linked"]
    whats = list(AccessRecord.objects.filter(patient=patient).values_list("what", flat=True))
    assert set(whats) == {"treatments", "treatment added"}
    page = linked.get(_clinic(patient)).content.decode()
    assert "About quinine" in page and "Added by Dr Linda Linked" in page


def test_a_clinician_changes_only_their_own_treatments(patient, patient_client, clinicians):
    linked = clinicians["linked"]
    patient_client.post("/treatments/", _form(patient, name="Patient's own"))
    linked.post(_clinic(patient), _form(patient, name="Doctor's"))
    own = Treatment.objects.get(name="Patient's own")
    theirs = Treatment.objects.get(name="Doctor's")
    assert linked.get(_clinic(patient, f"{own.pk}/")).status_code == 404
    assert linked.post(_clinic(patient, f"{own.pk}/remove/")).status_code == 404
    assert (
        linked.post(_clinic(patient, f"{theirs.pk}/"), _form(patient, dose="2 a day")).status_code
        == 302
    )
    assert linked.post(_clinic(patient, f"{theirs.pk}/remove/")).status_code == 302
    assert list(Treatment.objects.values_list("name", flat=True)) == ["Patient's own"]
    # The patient may change or remove what the clinician added.
    linked.post(_clinic(patient), _form(patient, name="Again"))
    again = Treatment.objects.get(name="Again")
    assert patient_client.post(f"/treatments/{again.pk}/remove/").status_code == 302


@pytest.mark.parametrize("who", ["unlinked", "revoked"])
def test_clinicians_without_a_link_get_404(patient, patient_client, clinicians, who):
    patient_client.post("/treatments/", _form(patient))
    treatment = Treatment.objects.get()
    them = clinicians[who]
    assert them.get(_clinic(patient)).status_code == 404
    assert them.post(_clinic(patient), _form(patient, name="X")).status_code == 404
    assert them.post(_clinic(patient, f"{treatment.pk}/remove/")).status_code == 404
    assert Treatment.objects.count() == 1
    assert not AccessRecord.objects.exists()


# Charts, summaries and the exchange format


def test_trends_and_the_clinicians_pdf_show_the_band_and_the_verdict(patient, clinicians):
    start = _today(patient) - timedelta(days=40)
    _log(patient, start, before_cramps=2, after_cramps=0)
    treatment_save(
        patient=patient,
        record=TreatmentRecord("Magnesium citrate", "magnesium", start),
        today=_today(patient),
    )
    from django.test import Client

    own = Client()
    own.force_login(patient)
    trends = own.get("/trends/?range=90").content.decode()
    assert 'id="frequency-treatment-0"' in trends and "Magnesium citrate" in trends
    pdf = prepared_download(
        clinicians["linked"], f"/clinic/patients/{patient.public_id}/pdf/?range=90"
    )
    first_page = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Magnesium citrate" in first_page and "Fewer cramps" in first_page


def test_the_trends_page_reads_treatments_in_bounded_queries(patient, patient_client):
    start = _today(patient) - timedelta(days=200)
    _log(patient, _today(patient) - timedelta(days=30))

    def queries():
        patient_client.get("/trends/?range=365")  # warm
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            patient_client.get("/trends/?range=365")
        return len(captured)

    treatment_save(
        patient=patient, record=TreatmentRecord("A", "other", start), today=_today(patient)
    )
    one = queries()
    for i in range(5):
        treatment_save(
            patient=patient,
            record=TreatmentRecord(f"B{i}", "other", start + timedelta(days=20 * i)),
            today=_today(patient),
        )
    assert queries() == one


def test_export_and_import_carry_treatments_replacing_same_name_and_start(patient):
    today = _today(patient)
    start = today - timedelta(days=20)
    treatment_save(
        patient=patient, record=TreatmentRecord("Magnesium", "magnesium", start), today=today
    )
    treatment_save(
        patient=patient, record=TreatmentRecord("Stretching", "stretching", start), today=today
    )
    exported = diary_export(patient=patient)
    assert exported["treatments"][0] == {
        "name": "Magnesium", "kind": "magnesium", "start": start.isoformat(), "stop": None,
        "dose": "",
    }  # fmt: skip
    exported["treatments"] = [dict(exported["treatments"][0], dose="300 mg")]
    zones = {"Europe/London"}
    diary = diary_from_json(json.dumps(exported), latest=today, today=today, time_zones=zones)
    diary_import(patient=patient, diary=diary)
    kept = dict(Treatment.objects.values_list("name", "dose"))
    assert kept == {"Magnesium": "300 mg", "Stretching": ""}


@pytest.mark.parametrize(
    ("treatments", "version", "problem"),
    [
        ([{"name": "M", "kind": "magnesium", "start": "2026-01-01"}], 1, "version 1"),
        ([{"name": "M", "kind": "opium", "start": "2026-01-01"}], 2, "treatment 1, kind"),
        ([{"name": "M", "kind": "magnesium"}], 2, "treatment 1, start: is missing"),
        ([{"name": "M", "kind": "magnesium", "start": "2026-01-01", "x": 1}], 2, "unknown"),
        ([{"name": "M", "kind": "magnesium", "start": "2026-01-05", "stop": "2026-01-01"}], 2,
         "treatment 1, stop"),
        ([{"name": "M", "kind": "other", "start": "2026-01-01"}] * 2, 2, "appears twice"),
        ({"name": "M"}, 2, "must be a list"),
        ([{"name": "M", "kind": "other", "start": f"2026-01-{d:02d}"} for d in range(1, 31)] * 4,
         2, "at most 100"),
    ],
)  # fmt: skip
def test_bad_treatments_in_a_file_are_named(treatments, version, problem):
    raw = json.dumps(
        {"format": "night-cramp-diary", "version": version, "nights": [], "treatments": treatments}
    )
    today = patient_today_fixed = __import__("datetime").date(2026, 11, 28)
    with pytest.raises(ExchangeError, match=problem):
        diary_from_json(raw, latest=today, today=patient_today_fixed, time_zones={"UTC"})


def test_the_csv_names_the_treatments_taken_each_night(patient, patient_client):
    today = _today(patient)
    night_save(patient=patient, record=NightRecord(today - timedelta(days=3), cramps=(CALF,)))
    night_save(patient=patient, record=NightRecord(today - timedelta(days=1)))
    treatment_save(
        patient=patient,
        record=TreatmentRecord("Magnesium", "magnesium", today - timedelta(days=2)),
        today=today,
    )
    rows = patient_client.get("/summary/csv/?range=7").getvalue().decode().splitlines()
    assert rows[1].endswith(",") and rows[2].endswith(",Magnesium")


# The quinine review


def test_quinine_without_a_response_raises_the_review_prompt(patient, patient_client):
    start = _today(patient) - timedelta(days=30)
    _log(patient, start, before_cramps=1, after_cramps=1)
    assert not Prompt.objects.filter(rule="quinine_review").exists()
    patient_client.post("/treatments/", _form(patient, kind="quinine", start=start.isoformat()))
    run = Prompt.objects.get(rule="quinine_review", ended__isnull=True)
    assert run.level == "visit" and run.figures["verdict"] == "no_clear_change"
    home = patient_client.get("/prompts/").content.decode()
    assert "Quinine needs a review with your doctor after 4 weeks" in home
    # Stopped: the course is over, and the review with it.
    treatment = Treatment.objects.get()
    stop = (_today(patient) - timedelta(days=1)).isoformat()
    fields = _form(patient, kind="quinine", start=start.isoformat(), stop=stop)
    patient_client.post(f"/treatments/{treatment.pk}/", fields)
    assert not Prompt.objects.filter(rule="quinine_review", firing=True).exists()


def test_quinine_with_a_response_is_still_reviewed_and_the_reason_quotes_it(
    patient, patient_client
):
    """Rules v3: quinine is reviewed after 4 weeks whatever the verdict (MHRA)."""
    start = _today(patient) - timedelta(days=30)
    _log(patient, start, before_cramps=2, after_cramps=0)
    patient_client.post("/treatments/", _form(patient, kind="quinine", start=start.isoformat()))
    run = Prompt.objects.get(rule="quinine_review", ended__isnull=True)
    assert run.figures["verdict"] == "fewer_cramps"
    assert "before the start: fewer cramps (" in run.patient_reason


# The demo


def test_the_demo_patient_has_a_treatment_that_worked():
    from datetime import date

    from diary.domain import verdicts
    from diary.domain.demo import demo_patients

    today = date(2026, 11, 28)
    demo = demo_patients(today)[0]
    (magnesium,) = demo.treatments
    result = verdicts.treatment_result(magnesium, demo.nights, today - timedelta(days=1))
    assert result.first_weeks.verdict == verdicts.FEWER_CRAMPS
    assert result.later_weeks.verdict == verdicts.FEWER_CRAMPS


def test_a_start_after_a_worse_spell_is_compared_with_the_weeks_before_it(patient, patient_client):
    """1 cramp every other night, then 2 a night in the 4 weeks before the start (a spell at
    four times the rate), then 1 every other night again: the spell is left out."""
    start = _today(patient) - timedelta(days=40)
    night = start - timedelta(days=56)
    while night < _today(patient):
        days_before = (start - night).days
        count = 2 if 1 <= days_before <= 28 else night.toordinal() % 2
        night_save(patient=patient, record=NightRecord(night, cramps=(CALF,) * count))
        night += timedelta(days=1)
    patient_client.post("/treatments/", _form(patient))
    page = " ".join(patient_client.get("/treatments/").content.decode().split())
    assert "4 weeks before a worse spell" in page
    assert "Started after a worse spell: compared with the weeks before that spell." in page
    assert "No clear change" in page and "no change, somewhere between \u2212" in page


def test_a_clinician_cannot_change_or_remove_another_clinicians_treatment(patient, clinicians):
    """Two clinicians on the same patient's diary: each changes only what they added."""
    linked = clinicians["linked"]
    second_user = User.objects.create_user(
        email="dr.second@example.org", full_name="Dr Sam Second", role=Role.CLINICIAN
    )
    care_link_create(patient=patient, clinician=second_user)
    second = Client()
    second.force_login(second_user)
    linked.post(_clinic(patient), _form(patient, name="Doctor Linda's"))
    theirs = Treatment.objects.get()
    edit = _clinic(patient, f"{theirs.pk}/")
    assert second.get(edit).status_code == 404
    assert second.post(edit, _form(patient, name="Changed", dose="9 a day")).status_code == 404
    assert second.post(_clinic(patient, f"{theirs.pk}/remove/")).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, theirs.dose) == ("Doctor Linda's", "")
    page = second.get(_clinic(patient)).content.decode()
    assert "Doctor Linda&#x27;s" in page and f'href="{edit}"' not in page
