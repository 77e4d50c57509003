import pytest


@pytest.mark.django_db
def test_a_visitor_sees_what_the_diary_is_with_sign_in_and_sign_up(client):
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "/accounts/login/" in content and "/accounts/signup/" in content
    assert content.count("<h1") == 1


def test_a_patient_sees_their_home(patient_client):
    response = patient_client.get("/")
    assert response.status_code == 200
    assert "diary/home.html" in [t.name for t in response.templates]
    assert "Log last night" in response.content.decode()


def test_a_clinician_is_sent_to_the_clinic(clinician_client):
    response = clinician_client.get("/")
    assert response.status_code == 302 and response.url == "/clinic/"
    assert clinician_client.get("/clinic/").status_code == 200


def test_pages_carry_a_skip_link_and_a_strict_content_security_policy(patient_client):
    response = patient_client.get("/")
    assert 'href="#main"' in response.content.decode()
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
