"""The clinician's side: who may see what, the summary and its downloads, the dashboard."""

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from accounts.models import AccessRecord, CareLink, ClinicianNote, Role, User
from accounts.sharing import care_link_create, care_link_stop
from diary.domain.records import CrampRecord, NightRecord
from diary.models import NOTHING_PRESSING, Night, Prompt
from diary.services.nights import night_save
from diary.services.prompts import prompt_acknowledge, prompt_assess
from tests.prepared import prepared_download

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CALF = CrampRecord("calf", "left", 4, 6, True, frozenset({"massage"}), "some")
SEVERE = CrampRecord("calf", "right", 15, 9, True)


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


@pytest.fixture
def diary(patient):
    night_save(
        patient=patient,
        record=NightRecord(date(2026, 11, 27), notes='=HYPERLINK("http://x")', cramps=(CALF, CALF)),
    )
    night_save(patient=patient, record=NightRecord(date(2026, 11, 26)))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20), cramps=(CALF,)))
    return patient


def _pages(patient):
    base = f"/clinic/patients/{patient.public_id}/"
    return [base, base + "pdf/", base + "csv/", base + "json/"]


# Who may see what


@pytest.mark.parametrize("index", range(4))
def test_the_access_matrix_of_every_clinician_page(client, diary, other_client, clinicians, index):
    path = _pages(diary)[index]
    assert client.get(path).url.startswith("/accounts/login/")
    patient_client = Client()
    patient_client.force_login(diary)
    assert patient_client.get(path).status_code == 404
    assert other_client.get(path).status_code == 404
    # The PDF: the page that waits for the worker to prepare it.
    assert clinicians["linked"].get(path, follow=True).status_code == 200
    assert clinicians["unlinked"].get(path).status_code == 404
    assert clinicians["revoked"].get(path).status_code == 404


def test_notes_and_link_details_are_only_for_the_linked_clinician(diary, clinicians, other_client):
    base = f"/clinic/patients/{diary.public_id}/"
    for who in ("unlinked", "revoked"):
        assert clinicians[who].post(base + "notes/", {"text": "x"}).status_code == 404
        assert clinicians[who].post(base + "link/", {"record_number": "1"}).status_code == 404
    assert other_client.post(base + "notes/", {"text": "x"}).status_code == 404
    assert not ClinicianNote.objects.exists()


@pytest.mark.parametrize(
    "path", ["/summary/", "/summary/pdf/", "/summary/csv/", "/summary/json/", "/sharing/"]
)
def test_patient_pages_of_the_sharing_and_summary(client, patient_client, clinician_client, path):
    assert client.get(path).url.startswith("/accounts/login/")
    assert patient_client.get(path, follow=True).status_code == 200
    assert clinician_client.get(path).status_code == 404


def test_a_patient_gets_404_on_the_clinic(patient_client):
    assert patient_client.get("/clinic/").status_code == 404


def test_an_unknown_public_id_or_the_database_key_is_404(diary, clinicians):
    assert clinicians["linked"].get("/clinic/patients/nothing-here/").status_code == 404
    assert clinicians["linked"].get(f"/clinic/patients/{diary.pk}/").status_code == 404


def test_stopping_takes_effect_on_the_next_request(diary, clinicians):
    path = _pages(diary)[0]
    assert clinicians["linked"].get(path).status_code == 200
    link = CareLink.objects.get(clinician=clinicians["users"]["linked"], status="active")
    care_link_stop(patient=diary, link_id=link.pk)
    assert clinicians["linked"].get(path).status_code == 404


# The access record


@pytest.mark.parametrize(("index", "what"), [(0, "summary"), (1, "pdf"), (2, "csv"), (3, "json")])
def test_each_view_or_download_adds_one_access_record(diary, clinicians, index, what):
    if what == "pdf":  # when the prepared file is downloaded, not when it is asked for
        prepared_download(clinicians["linked"], _pages(diary)[index])
    else:
        clinicians["linked"].get(_pages(diary)[index])
    (record,) = AccessRecord.objects.all()
    assert (record.patient, record.clinician, record.what) == (
        diary,
        clinicians["users"]["linked"],
        what,
    )
    assert record.at == MORNING


def test_refused_views_leave_no_access_record(diary, clinicians):
    clinicians["unlinked"].get(_pages(diary)[0])
    clinicians["revoked"].get(_pages(diary)[1])
    assert not AccessRecord.objects.exists()


def test_the_patient_sees_who_viewed_the_diary(diary, clinicians):
    prepared_download(clinicians["linked"], _pages(diary)[1])
    patient_client = Client()
    patient_client.force_login(diary)
    content = patient_client.get("/sharing/").content.decode()
    assert "Dr Linda Linked" in content and "downloaded PDF" in content


# The summary and its downloads


def test_the_summary_is_a_one_minute_read(diary, clinicians):
    response = clinicians["linked"].get(_pages(diary)[0])
    content = response.content.decode()
    report = response.context["report"]
    # 90 nights by default, but never before the diary's first night (20 Nov)
    assert (report.first, report.last) == (date(2026, 11, 20), date(2026, 11, 27))
    assert "Alice Walker" in content and "Cramps per week" in content
    assert report.stats.cramps == 3 and report.stats.nights_logged == 3
    assert "Venous disease or varicose veins" in content


def test_the_default_range_starts_at_the_last_appointment(diary, clinicians):
    link = CareLink.objects.get(clinician=clinicians["users"]["linked"], status="active")
    link.last_appointment = date(2026, 11, 22)
    link.save()
    response = clinicians["linked"].get(_pages(diary)[0])
    assert response.context["report"].first == date(2026, 11, 22)
    assert "since the last appointment" in response.content.decode()
    chosen = clinicians["linked"].get(_pages(diary)[0] + "?range=30")
    assert chosen.context["report"].first == date(2026, 11, 20)  # where the diary starts
    link.last_appointment = date(2026, 11, 10)  # before the diary began
    link.save()
    response = clinicians["linked"].get(_pages(diary)[0])
    assert response.context["report"].first == date(2026, 11, 20)


def test_the_pdf_holds_the_name_the_range_and_the_headline_numbers(diary, clinicians):
    response = prepared_download(clinicians["linked"], _pages(diary)[1] + "?range=30")
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Alice Walker" in text
    assert "20 Nov 2026" in text and "27 Nov 2026" in text
    assert "Cramps per week" in text and "too few nights yet" in text  # 3 logged nights
    assert "3 of 8 nights" in text


def test_the_csv_has_one_row_per_cramp_and_one_per_quiet_night(diary, clinicians):
    response = clinicians["linked"].get(_pages(diary)[2] + "?range=30")
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert list(rows[0]) == [
        "night", "sleep_quality", "times_woken", "daytime_impairment", "prevention",
        "symptoms", "red_flags", "toxin_exposure", "toxin_substance", "notes",
        "bed_time", "try_sleep_time", "sleep_onset_minutes", "awakenings", "awake_minutes",
        "final_wake_time", "out_of_bed_time", "wake_after_sleep_onset_minutes",
        "time_in_bed_minutes", "total_sleep_minutes", "sleep_efficiency_percent",
        "cramp", "muscle", "side", "duration_minutes", "severity", "woke", "remedies", "relief",
        "treatments",
    ]  # fmt: skip
    assert [(row["night"], row["cramp"]) for row in rows] == [
        ("2026-11-20", "1"),
        ("2026-11-26", ""),
        ("2026-11-27", "1"),
        ("2026-11-27", "2"),
    ]
    assert rows[2]["notes"] == '\'=HYPERLINK("http://x")'  # never run by a spreadsheet
    assert rows[0]["remedies"] == "Massage" and rows[0]["severity"] == "6"
    assert (rows[0]["muscle"], rows[0]["side"], rows[0]["relief"]) == (
        "Calf",
        "Left",
        "Some relief",
    )  # the words the pages use; the JSON keeps the codes


def test_the_json_download_is_the_exchange_format(diary, clinicians):
    data = json.loads(clinicians["linked"].get(_pages(diary)[3]).getvalue())
    assert data["format"] == "night-cramp-diary"
    assert len(data["nights"]) == 3


# Notes and link details


def test_private_notes_are_never_shown_to_the_patient_and_hidden_after_stopping(diary, clinicians):
    linked = clinicians["linked"]
    base = f"/clinic/patients/{diary.public_id}/"
    assert linked.post(base + "notes/", {"text": "Consider quinine? No."}).status_code == 302
    assert "Consider quinine" in linked.get(base).content.decode()
    patient_client = Client()
    patient_client.force_login(diary)
    for page in ("/summary/", "/sharing/", "/"):
        assert "Consider quinine" not in patient_client.get(page).content.decode()
    link = CareLink.objects.get(clinician=clinicians["users"]["linked"], status="active")
    care_link_stop(patient=diary, link_id=link.pk)
    care_link_create(patient=diary, clinician=clinicians["users"]["linked"])  # shared again
    assert "Consider quinine" not in linked.get(base).content.decode()


def test_an_empty_note_is_refused_with_a_message(diary, clinicians):
    response = clinicians["linked"].post(f"/clinic/patients/{diary.public_id}/notes/", {"text": ""})
    assert response.status_code == 400
    assert response.context["note_form"].errors["text"]
    assert not ClinicianNote.objects.exists()


def test_the_clinician_keeps_a_record_number_and_appointments(diary, clinicians):
    base = f"/clinic/patients/{diary.public_id}/"
    response = clinicians["linked"].post(
        base + "link/",
        {
            "record_number": "MRN-7",
            "last_appointment": "2026-11-01",
            "next_appointment": "2026-10-01",
        },
    )
    assert response.status_code == 400
    assert response.context["link_form"].errors["next_appointment"]
    clinicians["linked"].post(
        base + "link/",
        {
            "record_number": "MRN-7",
            "last_appointment": "2026-11-01",
            "next_appointment": "2026-12-01",
        },
    )
    link = CareLink.objects.get(clinician=clinicians["users"]["linked"], status="active")
    assert (link.record_number, link.next_appointment) == ("MRN-7", date(2026, 12, 1))


# Sharing from the patient's side


def test_sharing_by_code_shows_the_clinician_and_asks_first(patient_client, patient, clinician):
    from accounts.sharing import share_code_for

    clinician.practice = "Hillside Surgery"
    clinician.save()
    code = share_code_for(clinician)
    page = patient_client.post("/sharing/code/", {"code": code.lower()})
    content = page.content.decode()
    assert "Dr Carol Jones" in content and "Hillside Surgery" in content
    assert not CareLink.objects.exists()
    patient_client.post("/sharing/code/", {"code": code, "confirm": "yes"})
    assert CareLink.objects.get().status == "active"


def test_a_wrong_code_is_explained_next_to_the_field(patient_client):
    response = patient_client.post("/sharing/code/", {"code": "XXXXYYYY"})
    assert response.status_code == 400
    assert "No clinician has this code" in response.context["code_form"].errors["code"][0]
    assert not CareLink.objects.exists()


def test_offering_by_email_never_reveals_whether_the_address_has_an_account(
    patient_client, clinician
):
    def answer(email):
        response = patient_client.post("/sharing/email/", {"email": email}, follow=True)
        said = [str(message).replace(email, "EMAIL") for message in response.context["messages"]]
        offered = [link.invited_email for link in response.context["offered"]]
        return response.status_code, said, email in offered

    assert answer(clinician.email) == answer("nobody@example.org")
    assert answer("nobody@example.org")[2]


def test_a_clinician_asks_and_the_patient_accepts(clinician_client, patient_client, patient):
    clinician_client.post("/clinic/ask/", {"email": patient.email})
    link = CareLink.objects.get()
    assert "Dr Carol Jones" in patient_client.get("/sharing/").content.decode()
    patient_client.post(f"/sharing/{link.pk}/answer/", {"answer": "accept"})
    assert clinician_client.get(f"/clinic/patients/{patient.public_id}/").status_code == 200


def test_the_patient_stops_sharing_in_one_click(patient_client, patient, clinician):
    link = care_link_create(patient=patient, clinician=clinician)
    patient_client.post(f"/sharing/{link.pk}/stop/")
    link.refresh_from_db()
    assert link.status == "revoked"


# The dashboard


def _patient(name, **profile):
    user = User.objects.create_user(email=f"{name.lower()}@example.org", full_name=name)
    return user


def test_the_dashboard_sorts_by_level_then_answer_then_next_appointment(
    clinician_client, clinician
):
    names = ["Quiet", "Visit", "Seen", "Assessed", "Today", "Urgent", "Urgent sooner"]
    people = {name: _patient(name) for name in names}
    links = {
        name: care_link_create(patient=user, clinician=clinician) for name, user in people.items()
    }
    last_night = date(2026, 11, 27)
    for name in ("Urgent", "Urgent sooner", "Seen", "Assessed"):
        red_flag = NightRecord(last_night, red_flags=frozenset({"cramp_wont_stop"}))
        night_save(patient=people[name], record=red_flag)
    swollen = NightRecord(last_night, red_flags=frozenset({"leg_swollen"}))
    night_save(patient=people["Today"], record=swollen)
    for night in (date(2026, 11, 20), date(2026, 11, 22)):  # prolonged cramps on 2 nights
        night_save(patient=people["Visit"], record=NightRecord(night, cramps=(SEVERE,)))
    night_save(patient=people["Quiet"], record=NightRecord(last_night))
    seen = Prompt.objects.get(patient=people["Seen"])
    prompt_acknowledge(patient=people["Seen"], run_id=seen.pk, answer="sought_care")
    assessed = Prompt.objects.get(patient=people["Assessed"])
    prompt_assess(clinician=clinician, patient=people["Assessed"], run_id=assessed.pk)
    links["Urgent"].next_appointment = date(2026, 12, 9)
    links["Urgent"].save()
    links["Urgent sooner"].next_appointment = date(2026, 12, 1)  # sorts first by appointment
    links["Urgent sooner"].save()
    rows = clinician_client.get("/clinic/").context["page"].rows
    assert [row.patient.full_name for row in rows] == [
        "Urgent sooner",  # urgent, unanswered, the next appointment first (not the name)
        "Urgent",
        "Seen",  # urgent, answered
        "Today",  # today, unanswered
        "Visit",  # visit, unanswered
        "Assessed",  # everything assessed: with those who have nothing current, by name
        "Quiet",
    ]
    assert rows[0].nights_logged == 1 and rows[0].cramp_nights == 0
    assert rows[4].cramp_nights == 2
    assert rows[0].last_logged == last_night


def test_an_answered_today_patient_sorts_above_an_unanswered_visit_and_a_warning_sign_is_today(
    clinician_client, clinician
):
    people = {name: _patient(name) for name in ("Alma", "Bea", "Cleo", "Dora")}
    for user in people.values():
        care_link_create(patient=user, clinician=clinician)
    last_night = date(2026, 11, 27)
    # Alma: a today run, answered. Bea: visit runs only, unanswered.
    night_save(
        patient=people["Alma"], record=NightRecord(last_night, red_flags=frozenset({"leg_swollen"}))
    )
    today_run = Prompt.objects.get(patient=people["Alma"], rule="clot_signs")
    prompt_acknowledge(patient=people["Alma"], run_id=today_run.pk, answer="doctor_checked")
    for night in (date(2026, 11, 20), date(2026, 11, 22)):
        night_save(patient=people["Bea"], record=NightRecord(night, cramps=(SEVERE,)))
    assert {p.level for p in Prompt.objects.filter(patient=people["Bea"])} == {"visit"}
    # Cleo: a warning sign ticked 10 nights ago, too old for any rule: it counts as today.
    old_sign = NightRecord(date(2026, 11, 18), red_flags=frozenset({"leg_swollen"}))
    night_save(patient=people["Cleo"], record=old_sign)
    assert not Prompt.objects.filter(patient=people["Cleo"]).exists()
    rows = clinician_client.get("/clinic/").context["page"].rows
    assert [row.patient.full_name for row in rows] == ["Cleo", "Alma", "Bea", "Dora"]
    assert [row.warning_sign for row in rows] == [True, False, False, False]
    content = clinician_client.get("/clinic/").content.decode()
    assert content.count("dashboard-warning-sign") == 1


def test_mark_all_as_seen_assesses_every_run_in_one_request_with_one_access_entry(
    clinicians, clock
):
    patient = _patient("Margo")
    linda = clinicians["users"]["linked"]
    care_link_create(patient=patient, clinician=linda)
    night_save(
        patient=patient,
        record=NightRecord(date(2026, 11, 18), red_flags=frozenset({"leg_swollen"})),
    )
    night_save(
        patient=patient,
        record=NightRecord(
            date(2026, 11, 27),
            red_flags=frozenset({"cramp_wont_stop", "leg_swollen"}),
            cramps=(SEVERE,),
        ),
    )
    current = Prompt.objects.filter(patient=patient, ended__isnull=True)
    assert current.count() >= 3
    client = Client()
    client.force_login(linda)
    before = AccessRecord.objects.filter(patient=patient).count()
    response = client.post(f"/clinic/patients/{patient.public_id}/prompts/seen/")
    assert response.status_code == 302
    assert all(run.assessed_by == linda for run in current)
    assert AccessRecord.objects.filter(patient=patient).count() == before + 1
    assert AccessRecord.objects.filter(patient=patient, what="marked all seen").count() == 1
    rows = client.get("/clinic/").context["page"].rows
    row = next(row for row in rows if row.patient == patient)
    assert not row.warning_sign
    assert patient.diary_state.top_level == NOTHING_PRESSING


def test_mark_all_as_seen_is_only_for_the_linked_clinician(clinicians):
    patient = _patient("Nell")
    care_link_create(patient=patient, clinician=clinicians["users"]["linked"])
    night_save(
        patient=patient,
        record=NightRecord(date(2026, 11, 27), red_flags=frozenset({"cramp_wont_stop"})),
    )
    client = Client()
    client.force_login(clinicians["users"]["unlinked"])
    response = client.post(f"/clinic/patients/{patient.public_id}/prompts/seen/")
    assert response.status_code == 404
    assert not Prompt.objects.filter(patient=patient, assessed_at__isnull=False).exists()


def test_the_dashboard_filters_by_name_and_pages_by_50(clinician_client, clinician):
    for number in range(55):
        care_link_create(patient=_patient(f"Person{number:02d}"), clinician=clinician)
    first = clinician_client.get("/clinic/").context["page"]
    assert len(first.rows) == 50 and first.count == 55
    second = clinician_client.get(f"/clinic/?after={first.after}").context["page"]
    assert len(second.rows) == 5 and not second.after
    found = clinician_client.get("/clinic/?name=person07").context["page"].rows
    assert [row.patient.full_name for row in found] == ["Person07"]


def test_new_since_my_last_review_counts_nights_changed_after_it(diary, clinicians, clock):
    linked = clinicians["linked"]
    assert linked.get("/clinic/").context["page"].rows[0].new_nights == 3
    linked.get(f"/clinic/patients/{diary.public_id}/")
    clock(MORNING + timedelta(hours=1))
    night_save(patient=diary, record=NightRecord(date(2026, 11, 25)))
    assert linked.get("/clinic/").context["page"].rows[0].new_nights == 1


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        assert response.status_code == 200
    return len(queries), response.context["page"]


def test_the_dashboard_query_count_is_the_same_for_3_and_300_patients_and_deep_pages(db):
    counts = []
    for size in (3, 300):
        clinician = User.objects.create_user(
            email=f"dr{size}@example.org", full_name="Dr Many", role=Role.CLINICIAN
        )
        patients = [
            User.objects.create_user(email=f"p{size}-{n}@example.org", full_name=f"P {n}")
            for n in range(size)
        ]
        CareLink.objects.bulk_create(
            CareLink(patient=p, clinician=clinician, asked_by="patient", status="active")
            for p in patients
        )
        rows = Night.objects.bulk_create(
            Night(patient=p, date=date(2026, 11, 27) - timedelta(days=d))
            for p in patients
            for d in range(3)
        )
        from diary.models import Cramp

        Cramp.objects.bulk_create(
            Cramp(night=row, muscle="calf", side="left", duration_minutes=2, severity=5)
            for row in rows
        )
        Prompt.objects.bulk_create(
            Prompt(patient=p, rule=rule, level=level, first_raised=day, last_fired=day)
            for p in patients
            for rule, level in (("clot_signs", "today"), ("severe_frequent", "visit"))
            for day in [date(2026, 11, 28)]
        )
        client = Client()
        client.force_login(clinician)
        counts.append(_queries(client, "/clinic/")[0])
    assert counts[0] == counts[1] <= 12
    # Deeper pages of the 300 cost what the first costs (asked again: the first request of a
    # session makes the share code): "Next" twice (rows 101-150), then "Previous" (51-100).
    count, page = _queries(client, "/clinic/")
    counts = [count]
    pages = [page]
    for _step in range(2):
        count, page = _queries(client, f"/clinic/?after={page.after}")
        counts.append(count)
        pages.append(page)
    count, back = _queries(client, f"/clinic/?before={page.before}")
    counts.append(count)
    names = [[row.patient.full_name for row in shown.rows] for shown in (*pages, back)]
    assert len({name for shown in names[:3] for name in shown}) == 150  # none twice
    assert names[3] == names[1]
    assert len(set(counts)) == 1, counts


def test_asking_a_patient_never_reveals_whether_they_have_a_diary(clinician_client, patient):
    def answer(email):
        response = clinician_client.post("/clinic/ask/", {"email": email}, follow=True)
        return response.status_code, [
            str(message).replace(email, "EMAIL") for message in response.context["messages"]
        ]

    assert answer(patient.email) == answer("nobody@example.org")


@pytest.mark.postgresql  # reads PostgreSQL's plan
def test_the_dashboard_query_uses_the_indexes(clinician, patient):
    from diary.services.clinic import dashboard_links

    care_link_create(patient=patient, clinician=clinician)
    links = dashboard_links(clinician=clinician)[:50]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables are scanned otherwise
        sql, params = links.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert re.search(r"Index (Only )?Scan using \w+ on accounts_carelink", plan), plan
    assert "Seq Scan" not in plan, plan


# What the clinician reads at a glance: the dashboard's prompts, the summary's first screen


def _between(content: str, start: str, end: str) -> str:
    return content[content.index(start) : content.index(end)]


def test_the_dashboard_shows_each_prompt_with_its_reason_and_the_patients_answer(
    clinician_client, clinician, patient
):
    care_link_create(patient=patient, clinician=clinician)
    swollen = NightRecord(date(2026, 11, 27), red_flags=frozenset({"leg_swollen"}))
    night_save(patient=patient, record=swollen)
    run = Prompt.objects.get(patient=patient, rule="clot_signs")
    prompt_acknowledge(patient=patient, run_id=run.pk, answer="doctor_checked")
    content = clinician_client.get("/clinic/").content.decode()
    row = _between(content, "<tbody>", "</tbody>")
    assert "A swollen, red or warm calf" in row
    # the clinician's wording, in the row itself (a tooltip shows nothing on a touch screen)
    assert run.clinician_reason in row and "<details>" in row
    assert "Patient: “A doctor has already checked this”" in row
    assert 'title="' not in row


def test_patients_of_one_name_are_told_apart_by_birth_date_and_record_number(
    clinician_client, clinician
):
    for born, record in ((date(1948, 3, 1), "MRN-1"), (date(1990, 7, 9), "MRN-2")):
        twin = _patient("Sam Same")
        twin.email = f"sam.{record.lower()}@example.org"
        twin.save()
        twin.health_profile.date_of_birth = born
        twin.health_profile.save()
        link = care_link_create(patient=twin, clinician=clinician)
        link.record_number = record
        link.save()
    content = clinician_client.get("/clinic/").content.decode()
    # In the row's own heading cell, which stays in view when a phone shows rows as cards.
    names = re.findall(r'<th scope="row">(.*?)</th>', content, flags=re.S)
    assert any("1 Mar 1948" in cell and "MRN-1" in cell for cell in names)
    assert any("9 Jul 1990" in cell and "MRN-2" in cell for cell in names)


@pytest.fixture
def profiled(diary):
    profile = diary.health_profile
    profile.date_of_birth = date(1948, 11, 28)  # 77 on the last night, 27 Nov 2026
    profile.venous_disease = True
    profile.kidney_disease = True
    profile.medications = {"statin", "diuretic"}
    profile.save()
    return diary


def test_the_first_screen_holds_age_health_medicines_and_the_latest_note(
    profiled, clinicians, clock
):
    linked = clinicians["linked"]
    base = f"/clinic/patients/{profiled.public_id}/"
    linked.post(base + "notes/", {"text": "First look: calf cramps."})
    clock(MORNING + timedelta(hours=1))
    linked.post(base + "notes/", {"text": "Ask about the statin dose."})
    first_screen = _between(linked.get(base).content.decode(), "one-minute", "At a glance")
    assert "28 Nov 1948" in first_screen and "(age 77)" in first_screen
    assert "Venous disease or varicose veins" in first_screen
    assert "Kidney disease" in first_screen
    assert "Peripheral artery disease" not in first_screen  # only the answers that are yes
    assert "Water tablets (diuretics)" in first_screen and "A statin" in first_screen
    assert "Ask about the statin dose." in first_screen
    assert "First look" not in first_screen  # the latest note only; all of them further down
    own = Client()
    own.force_login(profiled)
    own_first_screen = _between(own.get("/summary/").content.decode(), "one-minute", "At a glance")
    assert "age 77" in own_first_screen and "A statin" in own_first_screen
    assert "statin dose" not in own_first_screen


def test_the_first_pdf_page_holds_age_health_and_medicines(profiled, clinicians):
    response = prepared_download(
        clinicians["linked"], f"/clinic/patients/{profiled.public_id}/pdf/"
    )
    first_page = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "age 77" in first_page
    assert "Venous disease or varicose veins" in first_page and "A statin" in first_page
    assert "Warning signs" in first_page


def test_the_first_pdf_page_holds_the_prompts_by_level_the_chart_and_the_verdicts(
    profiled, clinicians
):
    from diary.domain.records import TreatmentRecord
    from diary.services.treatments import treatment_save

    treatment_save(
        patient=profiled,
        record=TreatmentRecord("Calf stretches", "stretching", date(2026, 11, 20)),
        today=date(2026, 11, 28),
    )
    night_save(
        patient=profiled,
        record=NightRecord(
            date(2026, 11, 27),
            red_flags=frozenset({"leg_swollen"}),
            cramps=(CrampRecord("calf", "left", 12, 5),),
        ),
    )
    clot = Prompt.objects.get(patient=profiled, rule="clot_signs")
    prompt_acknowledge(patient=profiled, run_id=clot.pk, answer="sought_care")  # answered
    assert Prompt.objects.filter(patient=profiled, level="visit", ended__isnull=True).exists()
    response = prepared_download(
        clinicians["linked"], f"/clinic/patients/{profiled.public_id}/pdf/"
    )
    first_page = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Contact a doctor today: A swollen, red or warm calf" in first_page
    assert "Cramps each night" in first_page or "Cramps per week (bars)" in first_page
    assert "Calf stretches" in first_page
    # By level: the possible clot before any visit prompt.
    assert first_page.index("Contact a doctor today") < first_page.index("Schedule an office visit")


def test_every_pdf_page_names_the_patient_and_no_night_is_split(profiled, clinicians):
    link = CareLink.objects.get(clinician=clinicians["users"]["linked"], status="active")
    link.record_number = "MRN-77"
    link.save()
    first = date(2026, 10, 1)
    nights = [first + timedelta(days=offset) for offset in range(55)]
    for night in nights:
        notes = "Woke twice, walked about, slept again later. " * 4 + f"end{night:%m%d}"
        night_save(patient=profiled, record=NightRecord(night, notes=notes, cramps=(CALF,)))
    response = prepared_download(
        clinicians["linked"], f"/clinic/patients/{profiled.public_id}/pdf/?range=90"
    )
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    first_night, last_night = (  # the range drawn, as the file's name gives it
        date.fromisoformat(iso)
        for iso in re.findall(r"\d{4}-\d\d-\d\d", response["Content-Disposition"])
    )
    nights_shown = f"{first_night.day} {first_night:%b %Y} – {last_night.day} {last_night:%b %Y}"
    assert len(pages) >= 3
    for text in pages:  # the running head
        assert "Alice Walker" in text and "born 28 Nov 1948" in text and "MRN-77" in text
        assert nights_shown in text
    for night in nights:  # a night's row keeps its date and the end of its notes together
        (page,) = [text for text in pages if f"end{night:%m%d}" in text]
        assert f"{night:%a} {night.day} {night:%b}" in page, night


# Saving a note or the link details: said at the top of the page


def test_a_saved_note_is_confirmed_and_shown_on_the_first_screen(diary, clinicians):
    base = f"/clinic/patients/{diary.public_id}/"
    response = clinicians["linked"].post(base + "notes/", {"text": "Check ferritin."}, follow=True)
    assert response.redirect_chain == [(base, 302)]
    assert [str(message) for message in response.context["messages"]] == ["Note saved."]
    content = response.content.decode()
    assert "Check ferritin." in _between(content, "Note saved.", "At a glance")


def test_a_refused_note_says_why_at_the_top_with_a_link_to_the_field(diary, clinicians):
    response = clinicians["linked"].post(f"/clinic/patients/{diary.public_id}/notes/", {"text": ""})
    assert response.status_code == 400
    top = _between(response.content.decode(), "<h1>", "one-minute")
    assert "The note was not saved" in top
    assert '<a href="#id_text">Private note: This field is required.</a>' in top


def test_saved_link_details_are_confirmed_and_refused_ones_explained_at_the_top(diary, clinicians):
    base = f"/clinic/patients/{diary.public_id}/"
    refused = clinicians["linked"].post(
        base + "link/",
        {
            "record_number": "MRN-0",
            "last_appointment": "2026-11-01",
            "next_appointment": "2026-10-01",
        },
    )
    content = refused.content.decode()
    top = _between(content, "<h1>", "one-minute")
    assert "The record number and appointments were not saved" in top
    assert 'href="#id_next_appointment"' in top and "comes after the last" in top
    first_screen = _between(content, "one-minute", "At a glance")
    assert "MRN-0" not in first_screen and "since the last appointment" not in first_screen
    saved = clinicians["linked"].post(base + "link/", {"record_number": "MRN-9"}, follow=True)
    said = [str(message) for message in saved.context["messages"]]
    assert said == ["Record number and appointments saved."]
    assert "MRN-9" in _between(
        saved.content.decode(), "Record number and appointments saved.", "At a glance"
    )
