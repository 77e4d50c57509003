"""The morning on a small phone (360×740): taps to a saved cramp night, Save always on the
first screen once the required answers are given; and every patient page at 200% text."""

import re
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from accounts.models import User
from diary.domain.records import CrampRecord, NightRecord
from diary.services.nights import night_record, night_save
from tests.browser.conftest import assert_no_sideways_scroll, sign_in, tap_in_place
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = {"width": 360, "height": 740}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": SMALL_PHONE, "has_touch": True}


@pytest.fixture
def riser(db):
    return User.objects.create_user(
        email="riser@example.org", password=PASSWORD, full_name="Rae Riser", time_zone="UTC"
    )


def _settled(page):
    """Two frames: a scroll's "in view" notice (IntersectionObserver) reaches the page."""
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def _on_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= SMALL_PHONE["height"]


def _morning(page, cramps: list[tuple[str, str, str, int]]) -> int:
    """Answers each cramp's required questions as a thumb does; the taps it took to Save."""
    taps = 0
    for number, (muscle, side, minutes, severity) in enumerate(cramps, start=1):
        if number > 1:
            page.get_by_role("button", name="+ Add another cramp").tap()
            taps += 1
        cramp = page.get_by_role("region", name=f"Cramp {number}")
        cramp.get_by_text(muscle, exact=True).tap()
        cramp.get_by_text(side, exact=True).tap()
        cramp.get_by_role("group", name="Or pick").get_by_text(minutes, exact=True).tap()
        cramp.get_by_role("group", name=re.compile("How bad")).get_by_text(
            str(severity), exact=True
        ).tap()
        taps += 4
    _settled(page)
    look = page.get_by_role("button", name="No warning signs ticked: check")
    if look.is_visible():
        assert _on_first_screen(look)
        tap_in_place(page, look)
        taps += 1
        expect(page.get_by_role("group", name=re.compile("warning signs"))).to_be_in_viewport()
    save = page.get_by_role("button", name="Save", exact=True)
    expect(save).to_be_visible()
    assert _on_first_screen(save), "Save is not on the screen after the required answers"
    tap_in_place(page, save)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Saved")
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    return taps + 1


def test_one_cramp_takes_at_most_6_taps_and_save_needs_no_scrolling(
    live_server, page, clock, riser
):
    clock(datetime(2026, 11, 28, 7, 0, tzinfo=UTC))
    sign_in(page, live_server, riser.email)
    page.goto(live_server.url + "/log/")
    # Until a cramp is started, the bar rests at the end of the form, out of the way.
    expect(page.get_by_role("button", name="No warning signs ticked: check")).to_be_hidden()
    cramp = page.get_by_role("region", name="Cramp 1")
    cramp.get_by_text("Calf", exact=True).tap()
    missing = page.locator("[data-missing]")
    expect(missing).to_have_text("Still to answer for cramp 1: side, minutes, how bad")
    assert _on_first_screen(missing)
    page.reload()

    taps = _morning(page, [("Calf", "Left", "2", 6)])
    print(f"\none cramp at 360x740: {taps} taps")
    assert taps <= 6
    saved = night_record(patient=riser, night=date(2026, 11, 27))
    assert [(c.muscle, c.side, c.duration_minutes, c.severity) for c in saved.cramps] == [
        ("calf", "left", 2.0, 6)
    ]


def test_two_cramps_take_at_most_13_taps_and_one_can_be_removed(live_server, page, clock, riser):
    clock(datetime(2026, 11, 28, 7, 0, tzinfo=UTC))
    sign_in(page, live_server, riser.email)
    page.goto(live_server.url + "/log/")
    taps = _morning(page, [("Calf", "Left", "2", 6), ("Foot", "Right", "under 1", 4)])
    print(f"\ntwo cramps at 360x740: {taps} taps")
    assert taps <= 13
    saved = night_record(patient=riser, night=date(2026, 11, 27))
    assert [(c.muscle, c.duration_minutes) for c in saved.cramps] == [("calf", 2.0), ("foot", 0.5)]

    # Changing it: "Remove this cramp" is a button; minutes show as typed.
    page.goto(live_server.url + "/log/")
    first = page.get_by_role("region", name="Cramp 1")
    expect(first.get_by_label("How long, in minutes?")).to_have_value("2")
    first.get_by_role("button", name="Remove this cramp").tap()
    expect(page.get_by_role("region", name=re.compile("Cramp"))).to_have_count(1)
    expect(page.get_by_role("button", name="Remove this cramp")).to_be_hidden()
    _settled(page)
    look = page.get_by_role("button", name="No warning signs ticked: check")
    if look.is_visible():
        tap_in_place(page, look)
    tap_in_place(page, page.get_by_role("button", name="Save", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Saved")
    assert [c.muscle for c in night_record(patient=riser, night=date(2026, 11, 27)).cramps] == [
        "foot"
    ]


PATIENT_PAGES = [
    "/",
    "/start/",
    "/log/",
    "/log/2026-11-27/saved/",
    "/history/",
    "/history/calendar/",
    "/trends/",
    "/prompts/",
    "/treatments/",
    "/summary/",
    "/sharing/",
    "/advice/",
    "/accounts/profile/",
    "/diary/import/",
    "/accounts/delete/",
]


def test_no_patient_page_scrolls_sideways_at_200_percent_text(live_server, page, clock, riser):
    clock(datetime(2026, 11, 28, 7, 0, tzinfo=UTC))
    for day in range(1, 28):
        cramps = (CrampRecord("calf", "left", 3, 6, True, frozenset({"massage"}), "some"),)
        record = NightRecord(
            date(2026, 11, day),
            cramps=cramps if day % 2 else (),
            red_flags=frozenset({"leg_swollen"}) if day == 27 else frozenset(),
        )
        night_save(patient=riser, record=record)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, riser.email)
    for path in PATIENT_PAGES:
        page.goto(live_server.url + path)
        # The browser's text size at 200%: every rem doubles, as a phone's text setting does.
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert_no_sideways_scroll(page)
