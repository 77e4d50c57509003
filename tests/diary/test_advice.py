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


def _section(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def test_the_quinine_text_says_everything_it_must(advice):
    quinine = _section(advice, 'id="quinine"', "Magnesium")
    for words in (
        "Take it only when a doctor prescribes it",
        "It is not for use in pregnancy",
        "reviews it after 4 weeks",
        "about every 3 months, with a trial off it",
        "Keep it well away from children: small amounts can kill a child",
        "Tell your pharmacist about every other medicine you take",
        "some change the heart rhythm",
    ):
        assert words in quinine, words


# Every visit rule of rules v3 has its line in the visit list.
VISIT_RULES = [
    "prolonged_cramps",
    "severe_frequent",
    "persistent_cramps",
    "daytime_impairment",
    "weakness_atrophy",
    "not_typical",
    "venous_disease",
    "artery_disease",
    "medication_review",
    "quinine_review",
]


@pytest.mark.parametrize("rule", VISIT_RULES)
def test_the_visit_list_names_every_visit_rule(advice, rule):
    visits = _section(advice, 'id="visit-rules"', "</ul>")
    assert visits.count(f'id="visit-{rule}"') == 1


def test_the_visit_list_names_the_new_symptoms(advice):
    line = _section(advice, 'id="visit-not_typical"', "</li>")
    for words in ("numbness or tingling", "urge to move the legs", "leg pain when walking"):
        assert words in line


HEAT = "Don't use hot water or heat pads on feet or legs that are numb: you may not feel a burn."


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


# Advice fitted to the profile: kidney disease or heart failure put the caution first and take
# away "drink plenty" and "potassium-rich food".
GENERAL_FLUIDS = "Drink plenty of fluids during the day."
GENERAL_POTASSIUM = "Eat foods that raise potassium and calcium."
TEAM = "ask your kidney or heart team how much to drink and whether potassium-rich foods are safe"


def _advice_for(client, patient, **answers):
    from diary.models import HealthProfile

    HealthProfile.objects.update_or_create(patient=patient, defaults=answers)
    page = client.get("/advice/").content.decode()
    return _section(page, 'id="prevention"', 'id="medicines"')


@pytest.mark.parametrize(
    "answers", [{"kidney_disease": True}, {"heart_failure": True}], ids=["kidney", "heart"]
)
def test_kidney_disease_or_heart_failure_puts_the_caution_first(patient_client, patient, answers):
    before_bed = _advice_for(patient_client, patient, **answers)
    assert TEAM in before_bed
    assert GENERAL_FLUIDS not in before_bed and GENERAL_POTASSIUM not in before_bed
    assert before_bed.index('id="fluid-caution"') < before_bed.index("Stretch your leg muscles")


def test_neither_keeps_the_general_advice_with_its_caution_after(patient_client, patient):
    before_bed = _advice_for(patient_client, patient, venous_disease=True)
    assert GENERAL_FLUIDS in before_bed and GENERAL_POTASSIUM in before_bed
    assert TEAM not in before_bed
    assert before_bed.index(GENERAL_FLUIDS) < before_bed.index('id="fluid-caution"')


def test_a_visitor_or_a_clinician_gets_the_general_advice(client, clinician_client, db):
    for page in (client.get("/advice/"), clinician_client.get("/advice/")):
        assert GENERAL_FLUIDS in page.content.decode()


def test_the_heat_caution_is_on_the_advice_page(advice):
    assert HEAT in advice
