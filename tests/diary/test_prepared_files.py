"""Files the task worker prepares (diary.services.prepared): the summary PDF and the FHIR export
are only queued by the page, built by the worker, kept a day, and served to the person who asked."""

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult
from fhir.resources.R4B.bundle import Bundle

from accounts.models import AccessRecord, CareLink, User
from accounts.sharing import care_link_stop
from diary.domain.records import CrampRecord, NightRecord
from diary.models import PreparedFile
from diary.services.downloads import BY_FORMAT
from diary.services.nights import night_save
from tests.prepared import download_link, prepared_download, run_worker

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CALF = CrampRecord("calf", "left", 4, 7, True, frozenset({"massage"}), "some")


@pytest.fixture
def diary(patient, clock):
    clock(MORNING)
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(CALF,)))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20)))
    return patient


def _asks(diary, clinicians, patient_client):
    """Who asks for which file: the patient for the PDF, the linked clinician for the PDF and
    the FHIR export."""
    base = f"/clinic/patients/{diary.public_id}/"
    return {
        "own pdf": (patient_client, "/summary/pdf/?range=30"),
        "clinician pdf": (clinicians["linked"], base + "pdf/?range=30"),
        "fhir": (clinicians["linked"], base + "fhir/?range=30"),
    }


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def no_weasyprint(monkeypatch):
    """Fails any test in which a PDF is laid out."""

    def refuse(*args, **kwargs):
        raise AssertionError("a PDF was made")

    monkeypatch.setattr("diary.services.downloads.pdf_from_html", refuse)
    monkeypatch.setattr("diary.output.pdf.pdf_from_html", refuse)


# The page only asks


@pytest.mark.parametrize("ask", ["own pdf", "clinician pdf", "fhir"])
def test_the_page_only_queues_the_file_and_the_task_holds_its_id_only(
    diary, clinicians, patient_client, no_weasyprint, ask
):
    client, url = _asks(diary, clinicians, patient_client)[ask]
    response = client.get(url)
    (file,) = PreparedFile.objects.all()
    assert response.status_code == 302 and response["Location"] == f"/files/{file.pk}/"
    assert (file.status, file.content) == ("queued", None)
    (task,) = DBTaskResult.objects.all()
    assert task.task_path == "diary.tasks.prepare_file" and task.status == "READY"
    assert task.args_kwargs == {"args": [str(file.pk)], "kwargs": {}}


def test_the_waiting_page_says_so_and_reloads_itself(diary, patient_client):
    page = patient_client.get(patient_client.get("/summary/pdf/?range=30")["Location"])
    content = page.content.decode()
    assert "Preparing your file…" in content and 'value="0"' in content
    assert '<meta http-equiv="refresh" content="2">' in content
    assert "/download/" not in content
    assert _no_store(page)


def test_asking_twice_while_it_waits_gives_the_same_file(diary, patient_client):
    first = patient_client.get("/summary/pdf/?range=30")
    again = patient_client.get("/summary/pdf/?range=30")
    assert first["Location"] == again["Location"]
    assert PreparedFile.objects.count() == 1 and DBTaskResult.objects.count() == 1


def test_no_more_than_three_files_wait_for_one_person(diary, patient_client):
    ranges = [f"/summary/pdf/?range=custom&start=2026-11-2{n}&end=2026-11-27" for n in range(4)]
    for waiting in ranges[:3]:
        assert patient_client.get(waiting).status_code == 302
    refused = patient_client.get(ranges[3])
    assert refused.status_code == 429
    assert "3 files are already being prepared for you" in refused.content.decode()
    assert PreparedFile.objects.count() == 3 and DBTaskResult.objects.count() == 3
    run_worker()
    assert patient_client.get(ranges[3]).status_code == 302


# The worker builds it


def test_the_worker_builds_a_real_pdf_and_the_page_offers_it(diary, patient_client):
    waiting = patient_client.get("/summary/pdf/?range=30")["Location"]
    run_worker()
    file = PreparedFile.objects.get()
    assert (file.status, file.progress) == ("ready", 100)
    assert bytes(file.content).startswith(b"%PDF")
    page = patient_client.get(waiting)
    content = page.content.decode()
    assert "Your file is ready" in content and "http-equiv" not in content
    download = patient_client.get(download_link(page))
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert download["Content-Disposition"] == (
        f'attachment; filename="cramp-summary-{diary.public_id}-2026-11-20-2026-11-27.pdf"'
    )
    assert _no_store(download)


def test_the_worker_builds_a_valid_fhir_bundle(diary, clinicians):
    url = f"/clinic/patients/{diary.public_id}/fhir/?range=30"
    download = prepared_download(clinicians["linked"], url)
    assert download["Content-Type"] == "application/fhir+json"
    bundle = json.loads(download.content)
    Bundle.model_validate(bundle)
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds.count("QuestionnaireResponse") == 2 and kinds.count("Observation") == 1


def test_a_file_that_could_not_be_made_says_so(diary, patient_client, monkeypatch):
    def broken(*args):
        raise RuntimeError("out of paper")

    monkeypatch.setitem(BY_FORMAT, "pdf", replace(BY_FORMAT["pdf"], prepare=broken))
    waiting = patient_client.get("/summary/pdf/?range=30")["Location"]
    run_worker()
    page = patient_client.get(waiting).content.decode()
    assert "Sorry, the file could not be made." in page
    assert "http-equiv" not in page and "/download/" not in page
    assert patient_client.get("/summary/pdf/?range=30")["Location"] != waiting  # asks anew


def test_a_file_asked_before_the_diary_was_unshared_is_not_built(diary, clinicians):
    clinicians["linked"].get(f"/clinic/patients/{diary.public_id}/pdf/")
    link = CareLink.objects.get(clinician=clinicians["users"]["linked"], status="active")
    care_link_stop(patient=diary, link_id=link.pk)
    run_worker()
    assert not PreparedFile.objects.exists()


# Served only to the person who asked, while they may read the diary


def _ready_file(client, url) -> str:
    """The ready file's page, built by the worker: its address."""
    waiting = client.get(url)["Location"]
    run_worker()
    return waiting


@pytest.mark.parametrize("ask", ["own pdf", "clinician pdf", "fhir"])
def test_nobody_else_gets_the_file(diary, clinicians, patient_client, other_client, client, ask):
    asker, url = _asks(diary, clinicians, patient_client)[ask]
    waiting = _ready_file(asker, url)
    download = download_link(asker.get(waiting))
    others = [other_client, clinicians["unlinked"], clinicians["revoked"]]
    others.append(clinicians["linked"] if asker is patient_client else patient_client)
    for other in others:
        assert other.get(waiting).status_code == 404
        assert other.get(download).status_code == 404
    assert client.get(download).url.startswith("/accounts/login/")
    assert asker.get(download).status_code == 200


@pytest.mark.parametrize("ask", ["clinician pdf", "fhir"])
def test_a_clinician_unshared_since_gets_404(diary, clinicians, patient_client, ask):
    clinician, url = _asks(diary, clinicians, patient_client)[ask]
    waiting = _ready_file(clinician, url)
    download = download_link(clinician.get(waiting))
    link = CareLink.objects.get(clinician=clinicians["users"]["linked"], status="active")
    care_link_stop(patient=diary, link_id=link.pk)
    assert clinician.get(waiting).status_code == 404
    assert clinician.get(download).status_code == 404
    assert not AccessRecord.objects.exists()


def test_a_file_is_kept_for_24_hours_then_never_served_and_deleted(
    diary, patient_client, other_client, clock
):
    waiting = _ready_file(patient_client, "/summary/pdf/?range=30")
    download = download_link(patient_client.get(waiting))
    clock(MORNING + timedelta(hours=23, minutes=59))
    assert patient_client.get(download).status_code == 200
    clock(MORNING + timedelta(hours=24, minutes=1))
    assert patient_client.get(waiting).status_code == 404
    assert patient_client.get(download).status_code == 404
    other_client.get("/summary/pdf/")  # the next file the worker builds clears old ones
    run_worker()
    assert PreparedFile.objects.get().requested_by.email == "bob@example.org"


def test_a_file_goes_with_the_account(diary, clinicians, patient_client):
    _ready_file(patient_client, "/summary/pdf/?range=30")
    _ready_file(clinicians["linked"], f"/clinic/patients/{diary.public_id}/fhir/")
    assert PreparedFile.objects.count() == 2
    User.objects.get(pk=diary.pk).delete()
    assert not PreparedFile.objects.exists()


# The access record


@pytest.mark.parametrize(("ask", "what"), [("clinician pdf", "pdf"), ("fhir", "fhir")])
def test_the_access_record_is_written_when_the_clinician_downloads(
    diary, clinicians, patient_client, ask, what
):
    clinician, url = _asks(diary, clinicians, patient_client)[ask]
    waiting = _ready_file(clinician, url)
    page = clinician.get(waiting)
    assert not AccessRecord.objects.exists()  # asked, built, shown: not yet read
    clinician.get(download_link(page))
    (record,) = AccessRecord.objects.all()
    assert (record.clinician, record.patient, record.what, record.at) == (
        clinicians["users"]["linked"],
        diary,
        what,
        MORNING,
    )
    as_patient = Client()
    as_patient.force_login(diary)
    assert f"downloaded {what.upper()}" in as_patient.get("/sharing/").content.decode()


def test_the_patients_own_download_writes_no_access_record(diary, patient_client):
    prepared_download(patient_client, "/summary/pdf/?range=30")
    assert not AccessRecord.objects.exists()


def test_the_hourly_clean_up_deletes_files_older_than_24_hours(diary, patient_client, clock):
    _ready_file(patient_client, "/summary/pdf/?range=30")
    clock(MORNING + timedelta(hours=23, minutes=59))
    call_command("clear_prepared_files", stdout=StringIO())
    assert PreparedFile.objects.count() == 1
    clock(MORNING + timedelta(hours=24, minutes=1))
    out = StringIO()
    call_command("clear_prepared_files", stdout=out)
    assert not PreparedFile.objects.exists() and "deleted: 1" in out.getvalue()
