from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from diary.domain.demo import demo_patients
from diary.models import Cramp, Night, Prompt

TODAY = date(2026, 11, 28)


def test_the_demo_is_the_same_every_time_for_the_same_day():
    assert demo_patients(TODAY) == demo_patients(TODAY)


def test_the_demo_patient_has_about_120_realistic_nights():
    demo = demo_patients(TODAY)[0]
    assert demo.email == "demo.patient@example.org"
    nights = demo.nights
    assert 100 <= len(nights) <= 120
    assert nights[-1].night == TODAY - timedelta(days=1)
    assert nights[0].night >= TODAY - timedelta(days=120)
    assert len(nights) < 120, "a few nights are not logged"

    cramps = [cramp for night in nights for cramp in night.cramps]
    muscles = Counter(cramp.muscle for cramp in cramps)
    assert muscles.most_common(1)[0][0] == "calf" and muscles["calf"] > len(cramps) / 2
    reliefs = Counter(cramp.relief for cramp in cramps)
    assert reliefs["none"] and reliefs["some"] and reliefs["full"]

    # Some weeks are worse than others.
    per_week = Counter((TODAY - night.night).days // 7 for night in nights if night.cramps)
    assert max(per_week.values()) >= 2 * max(1, min(per_week.values()))


def test_there_are_five_to_ten_other_patients_with_varied_patterns():
    others = demo_patients(TODAY)[1:]
    assert 5 <= len(others) <= 10
    assert len({patient.email for patient in others}) == len(others)
    assert any(patient.venous_disease for patient in others)
    assert any(night.toxin_exposure for patient in others for night in patient.nights)
    assert any(
        cramp.severity >= 8 and cramp.duration_minutes >= 10
        for patient in others
        for night in patient.nights
        for cramp in night.cramps
    )
    assert any(night.symptoms for patient in others for night in patient.nights)
    for patient in others:
        assert all(night.night < TODAY for night in patient.nights)
        assert len({night.night for night in patient.nights}) == len(patient.nights)


@pytest.mark.django_db
def test_seed_demo_creates_the_accounts_and_diaries_and_can_run_again(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    counts = (User.objects.count(), Night.objects.count(), Cramp.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (User.objects.count(), Night.objects.count(), Cramp.objects.count()) == counts

    patient = User.objects.get(email="demo.patient@example.org")
    clinician = User.objects.get(email="demo.clinician@example.org")
    assert (patient.role, clinician.role) == (Role.PATIENT, Role.CLINICIAN)
    assert patient.check_password("cramps-demo") and clinician.check_password("cramps-demo")
    assert 100 <= patient.nights.count() <= 120
    assert User.objects.filter(role=Role.PATIENT).count() == len(demo_patients(TODAY))


@pytest.mark.django_db
def test_it_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_pat_gets_the_statin_prompt_the_readme_promises(settings):
    """Pat takes a statin and has 3 cramp nights in the last 14: "Schedule an office visit" to
    review the medicines (medication_review), whatever day the demo is made on."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    pat = User.objects.get(email="demo.patient@example.org")
    current = Prompt.objects.filter(patient=pat, ended__isnull=True)
    assert current.filter(rule="medication_review", level="visit").exists()
