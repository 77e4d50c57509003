"""A half-awake patient on a phone: one tap for a quiet night, a few for a cramp night."""

import re
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from accounts.models import User
from diary.services.nights import night_record
from tests.browser.conftest import PHONE, assert_no_sideways_scroll, sign_in, tap_in_place
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def walker(db):
    return User.objects.create_user(
        email="walker@example.org", password=PASSWORD, full_name="Wil Walker", time_zone="UTC"
    )


def _sign_in(page, live_server, user):
    sign_in(page, live_server, user.email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good morning")


class Taps:
    """Counts what the patient does: every click, tap and typed field."""

    def __init__(self):
        self.count = 0

    def __call__(self, locator, text=None):
        self.count += 1
        if text is None:
            locator.click()
        else:
            locator.fill(text)


def _cramp(taps, section, muscle, side, minutes, severity, remedy, relief):
    taps(section.get_by_text(muscle, exact=True))
    taps(section.get_by_text(side, exact=True))
    taps(section.get_by_label("How long, in minutes?"), minutes)
    severity_group = section.get_by_role("group", name=re.compile("How bad"))
    taps(severity_group.get_by_text(str(severity), exact=True))
    taps(section.get_by_text("It woke me up"))
    taps(section.get_by_text(remedy, exact=True))
    taps(section.get_by_text(relief, exact=True))


def test_quiet_night_in_one_tap_then_two_cramps_without_javascript(
    live_server, browser, clock, walker
):
    clock(datetime(2026, 11, 28, 7, 0, tzinfo=UTC))
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, live_server, walker)

    page.get_by_role("button", name="No cramps last night").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Saved")
    expect(page.locator("main")).to_contain_text("The night of Friday 27 November: No cramps")
    assert night_record(patient=walker, night=date(2026, 11, 27)).cramps == ()

    clock(datetime(2026, 11, 29, 7, 0, tzinfo=UTC))  # the next morning
    page.goto(live_server.url + "/log/")
    assert_no_sideways_scroll(page)
    taps = Taps()
    first = page.get_by_role("region", name="Cramp 1")
    _cramp(taps, first, "Calf", "Left", "3", 7, "Massage", "Some relief")
    taps(page.get_by_role("button", name="+ Add another cramp"))  # a server round trip
    second = page.get_by_role("region", name="Cramp 2")
    _cramp(taps, second, "Foot", "Right", "1.5", 4, "Flexed my foot up", "Full relief")
    taps(page.get_by_role("button", name="Save", exact=True).last)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Saved")

    saved = night_record(patient=walker, night=date(2026, 11, 28))
    assert [(c.muscle, c.side, c.duration_minutes, c.severity) for c in saved.cramps] == [
        ("calf", "left", 3.0, 7),
        ("foot", "right", 1.5, 4),
    ]
    assert saved.cramps[0].woke and saved.cramps[1].relief == "full"

    page.goto(live_server.url + "/history/")
    assert_no_sideways_scroll(page)
    nights = page.locator("ol.nights > li")
    expect(nights.nth(0)).to_contain_text("2 cramps, worst 7/10, 4.5 min in all")
    expect(nights.nth(1)).to_contain_text("no cramps")
    context.close()


# Counted by the page itself, not by this test: every press of a pointer, and every field
# typed into without one. A step the page adds (a field to fill again, a dialog) shows up here.
COUNT_INTERACTIONS = """
window.interactions = 0;
const typedInto = new WeakSet();
document.addEventListener("pointerdown", (e) => { if (e.isTrusted) window.interactions++; }, true);
document.addEventListener("input", (e) => {
  const typed = e.target.matches("textarea, input[type=text], input[type=number]");
  if (e.isTrusted && typed && !typedInto.has(e.target)) {
    typedInto.add(e.target);
    window.interactions++;
  }
}, true);
"""


def test_a_cramp_night_with_two_cramps_takes_at_most_13_interactions(
    live_server, page, clock, walker
):
    clock(datetime(2026, 11, 28, 7, 0, tzinfo=UTC))
    _sign_in(page, live_server, walker)
    page.goto(live_server.url + "/log/")
    page.evaluate(COUNT_INTERACTIONS)
    for number, (muscle, side, minutes, severity) in enumerate(
        [("Calf", "Left", "2", 6), ("Foot", "Right", "under 1", 4)], start=1
    ):
        if number > 1:
            page.get_by_role("button", name="+ Add another cramp").click()
        section = page.get_by_role("region", name=f"Cramp {number}")
        # "Remove this cramp" only once there are two: nothing to remove the only one from.
        expect(page.get_by_text("Remove this cramp")).to_have_count(number)
        remove = page.get_by_text("Remove this cramp").first
        if number == 1:
            expect(remove).to_be_hidden()
        else:
            expect(remove).to_be_visible()
        section.get_by_text(muscle, exact=True).click()
        section.get_by_text(side, exact=True).click()
        section.get_by_role("group", name="Or pick").get_by_text(minutes, exact=True).click()
        section.get_by_role("group", name=re.compile("How bad")).get_by_text(
            str(severity), exact=True
        ).click()
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    look = page.get_by_role("button", name="No warning signs ticked: check")
    if look.is_visible():  # the warning signs were not in view on the way
        tap_in_place(page, look)
    interactions = page.evaluate("window.interactions")
    page.get_by_role("button", name="Save", exact=True).last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Saved")
    interactions += 1  # the Save itself (the counter went with the page it was on)
    print(f"\ntwo-cramp night: {interactions} interactions")
    assert interactions <= 13
    saved = night_record(patient=walker, night=date(2026, 11, 27))
    assert [(c.muscle, c.duration_minutes, c.severity) for c in saved.cramps] == [
        ("calf", 2.0, 6),
        ("foot", 0.5, 4),
    ]


def test_trends_draw_the_charts_under_the_content_security_policy(live_server, page, clock, walker):
    clock(datetime(2026, 11, 28, 7, 0, tzinfo=UTC))
    from diary.domain.records import CrampRecord, NightRecord
    from diary.services.nights import night_save

    night_save(
        patient=walker,
        record=NightRecord(date(2026, 11, 27), cramps=(CrampRecord("calf", "left", 2, 5),)),
    )
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    _sign_in(page, live_server, walker)
    page.goto(live_server.url + "/trends/")
    assert_no_sideways_scroll(page)
    bar = page.locator('svg.chart g[id^="frequency-cramps-"] path').last
    expect(bar).to_be_visible()
    # The bar's colour comes from its fill attribute (a CSS class recolours it in dark mode).
    assert bar.evaluate("e => getComputedStyle(e).fill") == "rgb(0, 114, 178)"
    assert not [e for e in errors if "Content Security Policy" in e]
    expect(page.get_by_text("Cramps each night", exact=True)).to_be_visible()


def test_a_refused_save_puts_the_errors_first_and_keeps_what_was_typed(
    live_server, page, clock, walker
):
    clock(datetime(2026, 11, 28, 7, 0, tzinfo=UTC))
    _sign_in(page, live_server, walker)
    page.goto(live_server.url + "/log/")
    section = page.get_by_role("region", name="Cramp 1")
    section.get_by_text("Calf", exact=True).click()
    section.get_by_label("How long, in minutes?").fill("4")
    # The Save bar says what is still to answer; Enter in a box still sends the form.
    expect(page.locator("[data-missing]")).to_have_text(
        "Still to answer for cramp 1: side, how bad"
    )
    section.get_by_label("How long, in minutes?").press("Enter")

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Cramp 1: Which side?")
    expect(summary).to_contain_text("Cramp 1: How bad was it")
    summary.get_by_role("link", name=re.compile("Which side")).click()
    expect(
        page.get_by_role("region", name="Cramp 1").get_by_label("How long, in minutes?")
    ).to_have_value("4")
    assert night_record(patient=walker, night=date(2026, 11, 27)) is None
