from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User


@pytest.mark.django_db
def test_it_creates_the_demo_accounts_once(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    patient = User.objects.get(email="demo.patient@example.org")
    clinician = User.objects.get(email="demo.clinician@example.org")
    assert (patient.role, clinician.role) == (Role.PATIENT, Role.CLINICIAN)
    assert patient.check_password("cramps-demo") and clinician.check_password("cramps-demo")
    assert User.objects.count() == 2


@pytest.mark.django_db
def test_it_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()
