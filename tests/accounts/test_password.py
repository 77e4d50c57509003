import re

from django.core import mail

from accounts.models import User
from tests.conftest import PASSWORD


def test_the_reset_flow_sets_a_new_password(client, patient):
    response = client.post("/accounts/password_reset/", {"email": "ALICE@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [patient.email]
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=patient.pk).check_password("a-brand-new-passphrase")
    assert client.get(link, follow=True).context["validlink"] is False


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and response.url == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_password_change_needs_the_old_password(patient_client, patient):
    response = patient_client.post(
        "/accounts/password_change/",
        {
            "old_password": "wrong",
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )
    assert response.context["form"].errors["old_password"]
    response = patient_client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=patient.pk).check_password("another-long-passphrase")
