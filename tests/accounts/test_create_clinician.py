import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User


def _run(*args):
    out = StringIO()
    call_command("create_clinician", *args, stdout=out)
    return out.getvalue()


def test_it_creates_a_clinician_with_a_one_time_link(client, db):
    output = _run("Dr.Who@Example.org", "--name", "Dr Who")
    clinician = User.objects.get()
    assert (clinician.email, clinician.role) == ("dr.who@example.org", Role.CLINICIAN)
    assert not clinician.has_usable_password()

    path = re.search(r"http://127\.0\.0\.1:8000(/accounts/reset/\S+)", output).group(1)
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "clinic-pass-2026!", "new_password2": "clinic-pass-2026!"},
    )
    assert User.objects.get().check_password("clinic-pass-2026!")
    assert client.get(path, follow=True).context["validlink"] is False


def test_it_refuses_an_existing_email(patient):
    with pytest.raises(CommandError, match="already exists"):
        _run(patient.email, "--name", "Someone")


@pytest.mark.django_db
def test_it_refuses_a_malformed_email():
    with pytest.raises(CommandError, match="not an e-mail"):
        _run("not-an-address", "--name", "Someone")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_keeps_the_practice_patients_will_see():
    _run("dr.p@example.org", "--name", "Dr P", "--practice", "Hillside Surgery")
    assert User.objects.get().practice == "Hillside Surgery"
