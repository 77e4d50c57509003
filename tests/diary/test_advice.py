"""The /advice/ page: warning signs first, each with its own anchor, then relief and cautions."""

import pytest

RED_FLAGS = ["cramp_wont_stop", "leg_cold_pale", "dark_urine", "leg_swollen"]


@pytest.fixture
def advice(client, settings):
    settings.EMERGENCY_NUMBER = "112"
    response = client.get("/advice/")
    assert response.status_code == 200
    return response.content.decode()


def test_advice_is_open_to_anonymous_visitors(client, db):
    response = client.get("/advice/")
    assert response.status_code == 200
    assert response.wsgi_request.user.is_anonymous


def test_get_help_now_comes_before_relief(advice):
    assert 'id="get-help-now"' in advice
    assert advice.index("Get help now") < advice.index("During a cramp")
    assert advice.index('id="get-help-now"') < advice.index('id="relief"')


@pytest.mark.parametrize("code", RED_FLAGS)
def test_each_warning_sign_has_its_own_anchor(advice, code):
    assert advice.count(f'id="red-flag-{code}"') == 1


def test_warning_signs_sit_in_the_get_help_section(advice):
    help_at = advice.index('id="get-help-now"')
    relief_at = advice.index('id="relief"')
    for code in RED_FLAGS:
        assert help_at < advice.index(f'id="red-flag-{code}"') < relief_at


def test_emergency_number_is_a_tel_link(advice):
    assert 'href="tel:112"' in advice
    assert ">112</a>" in advice


def test_page_says_nobody_watches_the_diary(advice):
    assert "Nobody watches this diary in real time" in advice


def test_kidney_caution_is_present(advice):
    assert "If you have kidney disease or heart failure" in advice
    assert "potassium can build up" in advice


def test_quinine_is_reviewed_after_four_weeks(advice):
    assert "Quinine" in advice
    assert "after about 4 weeks" in advice


def test_medicines_section_says_not_to_stop_on_your_own(advice):
    assert 'id="medicines"' in advice
    assert "Don't stop a prescribed medicine on your own" in advice


def test_existing_anchors_and_relief_advice_are_kept(advice):
    for anchor in ["relief", "prevention", "when-to-see-a-doctor"]:
        assert f'id="{anchor}"' in advice
    assert "Pull your toes and foot up towards your head" in advice


def test_three_levels_in_order(advice):
    doctor_at = advice.index('id="when-to-see-a-doctor"')
    levels = [
        advice.index("Seek immediate medical care", doctor_at),
        advice.index("Contact a doctor today", doctor_at),
        advice.index("Schedule an office visit", doctor_at),
    ]
    assert levels == sorted(levels)


def test_one_h1_and_no_inline_script_or_style(advice):
    assert advice.count("<h1") == 1
    page_body = advice[advice.index("<h1") : advice.index("</main>")]
    assert "<script" not in page_body
    assert "style=" not in page_body
