"""Prompts on a phone: a warning sign's advice at once, and one box through the run's life cycle.

A patient ticks a warning sign while logging and is told at once what to do; a patient with four
current runs sees one box (the most pressing in full, the others as "Also:" lines), answers it,
and, once the clinician has marked it assessed, sees it as a calm line.
"""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Role, User
from accounts.sharing import care_link_create
from diary.domain.records import CrampRecord, NightRecord
from diary.models import Prompt
from diary.services.nights import night_save
from tests.browser.conftest import PHONE, assert_no_sideways_scroll, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")
NOW = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)  # last night is the night of 27 Nov
SWOLLEN = "One calf or leg is swollen, red, warm or tender, even between cramps"


def _screenshot(locator, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=str(SHOTS / name))


def test_a_swollen_leg_ticked_while_logging_says_contact_a_doctor_today(
    live_server, page, clock, settings
):
    settings.EMERGENCY_NUMBER = "999"
    clock(NOW)
    User.objects.create_user(
        email="sam@example.org", password=PASSWORD, full_name="Sam Swell", time_zone="UTC"
    )
    sign_in(page, live_server, "sam@example.org")

    page.goto(live_server.url + "/log/")
    cramp = page.get_by_role("region", name="Cramp 1")
    cramp.get_by_text("Calf", exact=True).click()
    cramp.get_by_text("Left", exact=True).click()
    cramp.get_by_label("How long, in minutes?").fill("3")
    cramp.get_by_role("group", name=re.compile("How bad")).get_by_text("5", exact=True).click()
    answers = page.locator("details[data-night-answers]")
    if answers.get_attribute("open") is None:
        answers.locator("summary").click()
    expect(answers).to_have_attribute("open", "")
    signs = answers.get_by_role("group", name=re.compile("warning signs"))
    signs.get_by_text(SWOLLEN, exact=True).click()
    expect(signs.get_by_role("checkbox", name=SWOLLEN)).to_be_checked()
    page.get_by_role("button", name="Save", exact=True).last.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Saved")
    advice = page.locator("section[aria-labelledby='flag-leg_swollen']")
    expect(advice).to_contain_text("Contact a doctor today")
    expect(advice).to_contain_text("short of breath or have chest pain")
    expect(advice.get_by_role("link", name="999", exact=True)).to_have_attribute("href", "tel:999")

    # The sign's advice first; then the prompt's answers above "Done", the advice not repeated.
    box = page.locator(".prompt-box")
    expect(box).to_have_count(1)
    expect(box).to_contain_text("Contact a doctor today")
    expect(box).to_contain_text("A swollen, red or warm calf")
    expect(box).not_to_contain_text("short of breath")
    done = page.get_by_role("link", name="Done", exact=True)
    assert advice.bounding_box()["y"] < box.bounding_box()["y"]
    answer = box.get_by_role("button", name="I have sought care")
    assert answer.bounding_box()["y"] < done.bounding_box()["y"]
    assert_no_sideways_scroll(page)
    _screenshot(box, "prompt-box-today-saved.png")
    prompt = Prompt.objects.get()
    assert (prompt.rule, prompt.level, prompt.evidence) == ("clot_signs", "today", ["2026-11-27"])


def _four_runs(patient):
    """Urgent and today runs from last night's warning signs, and two visit runs."""
    long = CrampRecord("calf", "left", 12, 5)  # prolonged, not severe
    severe = CrampRecord("calf", "right", 2, 8)  # severe, not prolonged
    for night in (date(2026, 11, 20), date(2026, 11, 22)):
        night_save(patient=patient, record=NightRecord(night, cramps=(long,)))
    for night in (date(2026, 11, 21), date(2026, 11, 23), date(2026, 11, 24)):
        night_save(patient=patient, record=NightRecord(night, cramps=(severe,)))
    night_save(
        patient=patient,
        record=NightRecord(
            date(2026, 11, 27), red_flags=frozenset({"cramp_wont_stop", "leg_swollen"})
        ),
    )


def test_one_box_an_answer_and_the_clinicians_assessment(
    live_server, browser, page, clock, settings
):
    settings.EMERGENCY_NUMBER = "999"
    clock(NOW)
    patient = User.objects.create_user(
        email="pat@example.org", password=PASSWORD, full_name="Pat Four", time_zone="UTC"
    )
    clinician = User.objects.create_user(
        email="lee@example.org",
        password=PASSWORD,
        role=Role.CLINICIAN,
        full_name="Dr Lee",
        time_zone="UTC",
    )
    care_link_create(patient=patient, clinician=clinician)
    _four_runs(patient)
    assert {p.rule: p.level for p in Prompt.objects.filter(patient=patient)} == {
        "severe_persistent": "urgent",
        "clot_signs": "today",
        "prolonged_cramps": "visit",
        "severe_frequent": "visit",
    }

    sign_in(page, live_server, patient.email)
    page.goto(live_server.url + "/")
    box = page.locator(".prompt-box")
    expect(box).to_have_count(1)
    expect(box).to_have_class(re.compile(r"\bprompt-urgent\b"))
    expect(box.locator("#prompt-box-heading")).to_have_text("Seek immediate medical care")
    expect(box.locator(".prompt-reason")).to_contain_text(["A severe cramp that won't stop"])
    expect(box.get_by_role("link", name="999", exact=True).first).to_have_attribute(
        "href", "tel:999"
    )
    also = box.locator(".prompt-also > li")
    expect(also).to_contain_text(
        [
            re.compile(r"^\s*Also: Contact a doctor today, 1 reason\b"),
            re.compile(r"^\s*Also: Schedule an office visit, 2 reasons\b"),
        ]
    )
    # An urgent level stands first, above the morning's log.
    assert box.bounding_box()["y"] < page.locator("#log-heading").bounding_box()["y"]
    assert_no_sideways_scroll(page)
    _screenshot(box, "prompt-box-urgent-home.png")

    page.goto(live_server.url + "/log/")
    no_cramps = page.get_by_role("button", name="No cramps last night")
    expect(no_cramps).to_be_visible()
    expect(box).to_have_count(1)
    button_box, prompt_box = no_cramps.bounding_box(), box.bounding_box()
    # An urgent level stands first on the log too, in full; the button stays in the first screen.
    assert button_box["y"] >= 0 and button_box["y"] + button_box["height"] <= PHONE["height"]
    assert prompt_box["y"] < button_box["y"]
    assert_no_sideways_scroll(page)

    with page.expect_navigation():
        box.get_by_role("button", name="It has passed; I did not need care").click()
    assert page.url.endswith("/log/")
    expect(page.get_by_text("Noted: it has passed and you did not need care.")).to_be_visible()
    urgent = Prompt.objects.get(patient=patient, rule="severe_persistent")
    assert urgent.acknowledgement == "passed" and urgent.ended is None
    # The today level is next: one line under "No cramps" on the log.
    expect(box).to_have_count(0)
    expect(page.locator(".prompt-line")).to_contain_text("Contact a doctor today: 1 reason.")

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    clinic = desk.new_page()
    sign_in(clinic, live_server, clinician.email)
    clinic.goto(f"{live_server.url}/clinic/patients/{patient.public_id}/")
    expect(clinic.get_by_role("heading", level=1)).to_have_text("Pat Four")
    line = clinic.locator("ul.prompt-list > li", has_text="A severe cramp that won't stop")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("It has passed; I did not need care")
    expect(line).to_contain_text("Worth raising at the next visit.")
    with clinic.expect_navigation():
        line.get_by_role("button", name="Mark as assessed").click()
    expect(line).to_contain_text("Assessed by Dr Lee (28 Nov 2026).")
    desk.close()

    urgent.refresh_from_db()
    assert urgent.acknowledgement == "passed"
    assert urgent.assessed_at is not None and urgent.assessed_by == clinician

    page.goto(live_server.url + "/prompts/")
    calm = page.locator("#prompt-" + str(urgent.pk))
    expect(calm).to_contain_text("Dr Lee has seen this on 28 Nov.")
    expect(calm).not_to_contain_text("You said")
    assert_no_sideways_scroll(page)
    _screenshot(calm, "prompt-after-assessment.png")
