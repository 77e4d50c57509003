"""/accounts/delete/: a patient deletes the account and everything about them, after the
password, with the export offered first."""

from datetime import UTC, date, datetime

import pytest
from axes.models import AccessLog
from django.apps import apps
from django.conf import settings

from accounts.models import CareLink, ClinicianNote, LinkStatus, Role, User
from accounts.sharing import (
    access_record,
    care_link_create,
    care_link_request,
    invitation_answer,
)
from diary.domain.records import CrampRecord, NightRecord
from diary.models import Cramp, Night, PendingImport, Prompt
from diary.services.nights import night_save
from diary.services.prompts import prompt_assess
from tests.conftest import PASSWORD

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CALF = CrampRecord("calf", "left", 4, 6, True, frozenset({"massage"}), "some")
SEVERE = CrampRecord("calf", "right", 15, 9, True)
URL = "/accounts/delete/"


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def _fill_diary(patient, clinician) -> None:
    """Nights with cramps, a prompt, a care link with a note, the access record, an import
    waiting, a clinician's answered invitation and the sign-in log."""
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20), cramps=(CALF, CALF)))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 21)))
    night_save(
        patient=patient,
        record=NightRecord(
            date(2026, 11, 27), red_flags=frozenset({"cramp_wont_stop"}), cramps=(SEVERE,)
        ),
    )
    link = care_link_create(patient=patient, clinician=clinician)
    ClinicianNote.objects.create(link=link, text=f"Seen {patient.full_name}; calves only.")
    access_record(clinician=clinician, patient=patient, what="summary")
    prompt = Prompt.objects.filter(patient=patient).first()
    prompt_assess(clinician=clinician, patient=patient, run_id=prompt.pk)
    PendingImport.objects.create(patient=patient, payload='{"format": "night-cramp-diary"}')
    request = care_link_request(clinician=clinician, email=patient.email)
    invitation_answer(user=patient, link_id=request.pk, accept=False)
    AccessLog.objects.create(username=patient.email, ip_address="192.0.2.1", user_agent="phone")


def _reaches_user(field) -> bool:
    return (
        field.concrete
        and (field.many_to_one or field.one_to_one)
        and field.related_model is apps.get_model(settings.AUTH_USER_MODEL)
    )


def _rows_about(user_pk: int, email: str) -> dict[str, int]:
    """Every row about the user, by model: each model with a key to the user (through a care
    link for the clinicians' notes, through a night for the cramps), the invitations that name
    the e-mail, and the sign-in log."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if _reaches_user(field):
                lookup = {field.name: user_pk}
            elif field.concrete and field.many_to_one and field.related_model in (CareLink, Night):
                lookup = {f"{field.name}__patient": user_pk}
            else:
                continue
            key = f"{model._meta.label}.{field.name}"
            counts[key] = model._default_manager.filter(**lookup).count()
    counts["accounts.CareLink.invited_email"] = CareLink.objects.filter(invited_email=email).count()
    counts["axes.AccessLog.username"] = AccessLog.objects.filter(username=email).count()
    return counts


@pytest.fixture
def diaries(patient, other_patient, clinician):
    _fill_diary(patient, clinician)
    _fill_diary(other_patient, clinician)
    return patient


def test_the_page_offers_the_export_first_and_deletes_nothing(patient_client, diaries):
    before = _rows_about(diaries.pk, diaries.email)
    response = patient_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/diary/export/"' in page
    assert page.index("/diary/export/") < page.index('name="password"')
    assert "cannot be undone" in page
    assert "Your password" in page
    assert User.objects.filter(pk=diaries.pk).exists()
    assert _rows_about(diaries.pk, diaries.email) == before


def test_a_wrong_password_deletes_nothing_and_says_so_by_the_field(patient_client, diaries):
    before = _rows_about(diaries.pk, diaries.email)
    response = patient_client.post(URL, {"password": "not-" + PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors["password"] == ["That is not your password."]
    assert "That is not your password." in response.content.decode()
    assert User.objects.filter(pk=diaries.pk).exists()
    assert _rows_about(diaries.pk, diaries.email) == before
    assert patient_client.get("/").context["user"] == diaries


def test_an_empty_password_deletes_nothing(patient_client, diaries):
    response = patient_client.post(URL, {"password": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert User.objects.filter(pk=diaries.pk).exists()


def test_a_clinician_gets_404_and_keeps_the_account(clinician_client, clinician):
    assert clinician_client.get(URL).status_code == 404
    assert clinician_client.post(URL, {"password": PASSWORD}).status_code == 404
    assert User.objects.filter(pk=clinician.pk).exists()


def test_a_visitor_is_sent_to_sign_in(client):
    assert client.get(URL).url.startswith("/accounts/login/")


def test_the_profile_links_to_it_for_patients_only(patient_client, clinician_client):
    assert 'href="/accounts/delete/"' in patient_client.get("/accounts/profile/").content.decode()
    assert 'href="/accounts/delete/"' not in (
        clinician_client.get("/accounts/profile/").content.decode()
    )


def test_the_right_password_deletes_the_patient_and_everything_about_them(
    patient_client, diaries, other_patient, clinician
):
    pk, email = diaries.pk, diaries.email
    before = _rows_about(pk, email)
    # The walk finds every kind of row the diary made, so "none left" below means something.
    assert {key for key, count in before.items() if count} == {
        "diary.HealthProfile.patient",
        "accounts.CareLink.patient",
        "accounts.ClinicianNote.link",
        "accounts.AccessRecord.patient",
        "accounts.CareLink.invited_email",
        "accounts.UserSession.user",  # the session of the device deleting, and every other
        "axes.AccessLog.username",
        "diary.Night.patient",
        "diary.Cramp.night",
        "diary.DiaryState.patient",
        "diary.Prompt.patient",
        "diary.PendingImport.patient",
    }
    others_before = _rows_about(other_patient.pk, other_patient.email)
    clinicians_before = _rows_about(clinician.pk, clinician.email)

    response = patient_client.post(URL, {"password": PASSWORD}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert not response.context["user"].is_authenticated
    assert "Your account and diary have been deleted." in response.content.decode()
    assert not User.objects.filter(pk=pk).exists()
    assert not User.objects.filter(email=email).exists()
    left = {key: count for key, count in _rows_about(pk, email).items() if count}
    assert left == {}
    assert _rows_about(other_patient.pk, other_patient.email) == others_before
    assert User.objects.filter(pk=clinician.pk, role=Role.CLINICIAN).exists()
    clinicians_after = _rows_about(clinician.pk, clinician.email)
    assert clinicians_after["accounts.CareLink.clinician"] == (
        clinicians_before["accounts.CareLink.clinician"] - 2  # the link and the invitation
    )
    assert Night.objects.filter(patient=other_patient).count() == 3
    assert Cramp.objects.filter(night__patient=other_patient).count() == 3
    assert ClinicianNote.objects.filter(link__patient=other_patient).count() == 1
    assert CareLink.objects.filter(
        patient=other_patient, clinician=clinician, status=LinkStatus.ACTIVE
    ).exists()


def test_a_clinicians_waiting_request_to_the_e_mail_stays_theirs(
    patient_client, patient, clinician
):
    waiting = care_link_request(clinician=clinician, email=patient.email)
    patient_client.post(URL, {"password": PASSWORD})
    assert not User.objects.filter(pk=patient.pk).exists()
    assert CareLink.objects.filter(pk=waiting.pk, status=LinkStatus.PENDING).exists()
