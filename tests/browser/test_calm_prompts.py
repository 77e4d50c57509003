"""Calm prompts on a small phone (360×740): Margaret's bad night leaves the morning's log in the
first screen, one tap answers a level, and the other pages show one line, not the box."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Role, User
from accounts.sharing import care_link_create
from diary.domain.records import CrampRecord, NightRecord, TreatmentRecord
from diary.models import HealthProfile, Prompt
from diary.services.nights import night_save
from diary.services.treatments import treatment_save
from tests.browser.conftest import assert_no_sideways_scroll, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = {"width": 360, "height": 740}
SHOTS = Path("/tmp/shots")
NOW = datetime(2026, 11, 28, 13, 0, tzinfo=UTC)  # morning in Chicago; last night: 27 Nov
LAST_NIGHT = date(2026, 11, 27)


def _margaret() -> User:
    """Varicose veins and a statin; a 5/10 calf cramp that woke her on 4 of the 7 nights before
    last night; last night a 10-minute 9/10 calf cramp that did not ease, and a swollen calf."""
    margaret = User.objects.create_user(
        email="margaret@example.org",
        password=PASSWORD,
        full_name="Margaret Hale",
        time_zone="America/Chicago",
    )
    profile, _created = HealthProfile.objects.get_or_create(patient=margaret)
    profile.venous_disease = True
    profile.medications = {"statin"}
    profile.save()
    woke = CrampRecord("calf", "left", 3, 5, woke=True)
    for back in (2, 4, 5, 7):
        night_save(
            patient=margaret, record=NightRecord(LAST_NIGHT - timedelta(days=back), cramps=(woke,))
        )
    for back in (3, 6):
        night_save(patient=margaret, record=NightRecord(LAST_NIGHT - timedelta(days=back)))
    bad = CrampRecord("calf", "left", 10, 9, woke=True, relief="none")
    night_save(
        patient=margaret,
        record=NightRecord(LAST_NIGHT, cramps=(bad,), red_flags=frozenset({"leg_swollen"})),
    )
    return margaret


def _top(locator) -> float:
    return locator.first.bounding_box()["y"]


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=False)


def _unanswered(patient, level):
    return Prompt.objects.filter(
        patient=patient, level=level, ended__isnull=True, acknowledged_at__isnull=True
    )


def test_margarets_morning_on_a_small_phone(live_server, page, clock, settings, capsys):
    settings.EMERGENCY_NUMBER = "999"
    clock(NOW)
    margaret = _margaret()
    levels = {p.rule: p.level for p in Prompt.objects.filter(patient=margaret)}
    assert levels == {
        "clot_signs": "today",
        "severe_prolonged": "today",
        "prolonged_cramps": "visit",
        "venous_disease": "visit",
        "medication_review": "visit",
    }
    page.set_viewport_size(SMALL_PHONE)
    # Margaret logged last night already: Home's "Change last night" stands where "No cramps"
    # stands on a morning not yet logged; the log page is where she logs a night.
    sign_in(page, live_server, margaret.email)

    page.goto(live_server.url + "/log/")
    no_cramps = page.get_by_role("button", name="No cramps last night")
    cramp_form = page.get_by_role("region", name="Cramp 1")
    figures = {"log: No cramps": _top(no_cramps), "log: cramp form": _top(cramp_form)}
    assert figures["log: No cramps"] + no_cramps.bounding_box()["height"] <= SMALL_PHONE["height"]
    assert figures["log: cramp form"] < SMALL_PHONE["height"]
    expect(page.locator(".prompt-box")).to_have_count(0)
    line = page.locator(".prompt-line")
    expect(line).to_contain_text("Contact a doctor today: 2 reasons.")
    assert _top(no_cramps) < _top(line) < _top(page.get_by_text("Had cramps? Tell us about them"))
    assert_no_sideways_scroll(page)
    _shot(page, "calm-log-360.png")

    page.goto(live_server.url + "/")
    box = page.locator(".prompt-box")
    expect(box).to_have_count(1)
    expect(box.locator("#prompt-box-heading")).to_have_text("Contact a doctor today")
    expect(box.locator(".prompt-action")).to_contain_text(
        "Call your doctor's practice today, or an urgent-care or advice line if it is closed."
    )
    expect(box.locator(".prompt-reason")).to_have_count(2)
    expect(box.locator(".prompt-also")).to_contain_text("Also: Schedule an office visit, 3 reasons")
    # The swollen calf (a possible clot) does not "pass".
    expect(box.get_by_role("button", name="It has passed; I did not need care")).to_have_count(0)
    expect(box.get_by_role("button", name="A doctor has already checked this")).to_have_count(1)
    log_card = page.locator("section[aria-labelledby='log-heading']")
    figures["home: log card"] = _top(log_card)
    assert _top(log_card) < _top(box)
    assert _top(log_card) + log_card.bounding_box()["height"] <= SMALL_PHONE["height"]
    assert_no_sideways_scroll(page)
    _shot(page, "calm-home-360.png")

    for path in ("/history/", "/trends/", "/accounts/profile/"):
        page.goto(live_server.url + path)
        expect(page.locator(".prompt-box")).to_have_count(0)
        expect(page.locator(".prompt-line")).to_have_count(1)
        expect(page.locator(".prompt-line")).to_contain_text("Contact a doctor today: 2 reasons.")
        assert _top(page.locator(".prompt-line")) < SMALL_PHONE["height"]
    _shot(page, "calm-profile-360.png")

    page.goto(live_server.url + "/")
    with page.expect_navigation():
        box.get_by_role("button", name="I have sought care").click()
    noted = page.get_by_text("Noted: you have sought care.")
    expect(noted).to_be_visible()
    assert _top(noted) < SMALL_PHONE["height"]
    assert not _unanswered(margaret, "today").exists()
    expect(box.locator("#prompt-box-heading")).to_have_text("Schedule an office visit")
    expect(box.locator(".prompt-reason")).to_have_count(3)
    with page.expect_navigation():
        box.get_by_role("button", name="I have booked a visit").click()
    expect(page.get_by_text("Noted: you have booked a visit.")).to_be_visible()
    assert not _unanswered(margaret, "visit").exists()
    expect(page.locator(".prompt-box")).to_have_count(0)

    # The nights without the box: Home on a morning not yet logged.
    clock(NOW + timedelta(days=1))
    page.goto(live_server.url + "/")
    home_no_cramps = page.get_by_role("button", name="No cramps last night")
    figures["home (next morning): No cramps"] = _top(home_no_cramps)
    assert _top(home_no_cramps) + home_no_cramps.bounding_box()["height"] <= SMALL_PHONE["height"]
    with capsys.disabled():
        print("\nMargaret at 360x740, top of element in px:", figures)


def test_home_keeps_no_cramps_in_the_first_screen_above_the_box(live_server, page, clock):
    clock(NOW)
    margaret = _margaret()
    clock(NOW + timedelta(days=1))  # a new morning, not yet logged; the runs still unanswered
    page.set_viewport_size(SMALL_PHONE)
    sign_in(page, live_server, margaret.email)
    page.goto(live_server.url + "/")
    no_cramps = page.get_by_role("button", name="No cramps last night")
    box = page.locator(".prompt-box")
    expect(box).to_have_count(1)
    assert _top(no_cramps) + no_cramps.bounding_box()["height"] <= SMALL_PHONE["height"]
    assert _top(no_cramps) < _top(box)
    _shot(page, "calm-home-unlogged-360.png")


def test_a_week_old_unanswered_urgent_prompt_says_if_it_is_still_happening(
    live_server, page, clock, settings
):
    settings.EMERGENCY_NUMBER = "999"
    clock(NOW)
    patient = User.objects.create_user(
        email="una@example.org",
        password=PASSWORD,
        full_name="Una Answered",
        time_zone="America/Chicago",
    )
    night_save(
        patient=patient,
        record=NightRecord(
            LAST_NIGHT,
            cramps=(CrampRecord("calf", "left", 3, 9),),
            red_flags=frozenset({"cramp_wont_stop"}),
        ),
    )
    clock(NOW + timedelta(days=7))
    page.set_viewport_size(SMALL_PHONE)
    sign_in(page, live_server, patient.email)
    page.goto(live_server.url + "/")
    box = page.locator(".prompt-box")
    expect(box).to_have_class(re.compile(r"\bprompt-urgent\b"))
    action = box.locator(".prompt-action")
    expect(action).to_be_visible()
    expect(action).to_contain_text("If it is still happening, call 999")
    assert _top(action) < SMALL_PHONE["height"]
    _shot(page, "calm-urgent-past-360.png")


def test_the_clinicians_first_screen_holds_the_prompts_the_chart_and_the_verdicts(
    live_server, browser, clock, settings, capsys
):
    clock(NOW)
    margaret = _margaret()
    treatment_save(
        patient=margaret,
        record=TreatmentRecord("Calf stretches", "stretching", LAST_NIGHT - timedelta(days=5)),
        today=LAST_NIGHT + timedelta(days=1),
    )
    clinician = User.objects.create_user(
        email="dr.lee@example.org",
        password=PASSWORD,
        role=Role.CLINICIAN,
        full_name="Dr Lee",
        time_zone="America/Chicago",
    )
    care_link_create(patient=margaret, clinician=clinician)
    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    page = desk.new_page()
    sign_in(page, live_server, clinician.email)
    page.goto(f"{live_server.url}/clinic/patients/{margaret.public_id}/")
    prompts = page.locator("ul.prompt-list > li")
    # By level: the possible clot and the long cramp (today) before the three visit prompts.
    expect(prompts.first).to_contain_text("Contact a doctor today")
    expect(prompts.nth(2)).to_contain_text("Schedule an office visit")
    chart = page.locator("figure.chart-figure").first
    verdicts = page.get_by_role("heading", name="Treatments", exact=True)
    figures = {
        "prompts": _top(prompts),
        "chart": _top(chart),
        "treatments": _top(verdicts),
    }
    page.screenshot(path=str(SHOTS / "calm-summary-1280.png"))
    assert figures["prompts"] < 800 and figures["chart"] < 800 and figures["treatments"] < 800
    page.screenshot(path=str(SHOTS / "calm-summary-1280.png"))
    with capsys.disabled():
        print("\nMargaret's summary at 1280x800, top of element in px:", figures)
    with page.expect_navigation():
        page.get_by_role("button", name="Mark all as seen").click()
    assert not Prompt.objects.filter(patient=margaret, assessed_at__isnull=True).exists()
    desk.close()
