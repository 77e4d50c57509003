"""Every main page fits a phone and a desktop: no sideways scroll, no word broken in the middle,
wide tables as cards on a phone; the history pages pass axe in the light and the dark scheme."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.models import Role, User
from accounts.sharing import care_link_create
from diary.domain.demo import demo_patients
from diary.domain.exchange import Diary
from diary.models import Night
from diary.services.nights import diary_import
from tests.browser.conftest import PHONE, assert_no_sideways_scroll, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 28)
DESKTOP = {"width": 1280, "height": 800}
PASTED_LINK = "https://example.org/leaflets/night-leg-cramps.pdf?session=" + "x7Kq2ZpW" * 20
PATIENT_PAGES = [
    "/",
    "/log/",
    "/history/",
    "/history/calendar/",
    "/trends/",
    "/prompts/",
    "/summary/",
    "/sharing/",
    "/accounts/profile/",
    "/advice/",
]

# Walks the visible text of the page: a word (between spaces) of up to 30 characters must lie on
# one line, one client rectangle, or on one line per hyphenated part ("cola-coloured").
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, svg, textarea, select, template")) continue;
    for (const word of node.data.matchAll(/\\S+/g)) {
      if (word[0].length > 30) continue;
      for (const part of word[0].matchAll(/[^-\\u2010\\u2013\\u2014]+[-\\u2010\\u2013\\u2014]*/g)) {
        const range = document.createRange();
        range.setStart(node, word.index + part.index);
        range.setEnd(node, word.index + part.index + part[0].length);
        const lines = range.getClientRects().length;
        if (lines > 1) {
          const where = `<${parent.tagName.toLowerCase()} class="${parent.className}">`;
          broken.push(`${part[0]} (${lines} lines, in ${where})`);
        }
      }
    }
  }
  return broken;
}"""


@pytest.fixture
def diaries(clock):
    """The demo patient's diary (with a pasted link in last night's notes and a gap in the last
    week), two more demo patients, and their clinician."""
    clock(MORNING)
    clinician = User.objects.create_user(
        email="dr.demo@example.org",
        password=PASSWORD,
        full_name="Dr Clare Demo",
        role=Role.CLINICIAN,
    )
    patients = []
    for number, demo in enumerate(demo_patients(TODAY)[:3], start=1):
        patient = User.objects.create_user(
            email=demo.email, password=PASSWORD, full_name=demo.full_name, time_zone=demo.time_zone
        )
        nights = list(demo.nights)
        if number == 1:
            nights[-1] = replace(nights[-1], notes=f"The leaflet: {PASTED_LINK}")
        profile = {
            "venous_disease": demo.venous_disease,
            "medications": demo.medications,
            "date_of_birth": demo.date_of_birth,
        }
        diary_import(patient=patient, diary=Diary(profile=profile, nights=tuple(nights)))
        link = care_link_create(patient=patient, clinician=clinician)
        link.record_number = f"MRN-{1000 + number}"
        link.next_appointment = TODAY + timedelta(days=3 * number)
        link.save()
        patients.append(patient)
    Night.objects.filter(patient=patients[0], date=TODAY - timedelta(days=3)).delete()
    return {"patient": patients[0], "clinician": clinician}


def _check_layout(page, url, problems):
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        page.goto(url)
        try:
            assert_no_sideways_scroll(page)
        except AssertionError as error:
            problems.append(f"{viewport['width']} px: {error}")
        problems += [
            f"{url} at {viewport['width']} px: {word}" for word in page.evaluate(BROKEN_WORDS)
        ]


def test_pages_fit_phone_and_desktop_without_breaking_words(live_server, page, diaries):
    problems = []
    sign_in(page, live_server, diaries["patient"].email)
    for path in PATIENT_PAGES:
        _check_layout(page, live_server.url + path, problems)
    page.context.clear_cookies()
    sign_in(page, live_server, diaries["clinician"].email)
    for path in ["/clinic/", f"/clinic/patients/{diaries['patient'].public_id}/"]:
        _check_layout(page, live_server.url + path, problems)
    assert problems == []


def test_the_dashboard_shows_each_patient_as_a_card_on_a_phone(live_server, page, diaries):
    sign_in(page, live_server, diaries["clinician"].email)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/clinic/")
    rows = page.locator("table.dashboard tbody tr")
    assert rows.count() == 3
    for box in (rows.nth(n).bounding_box() for n in range(3)):
        assert box["width"] >= PHONE["width"] * 0.9
    labels = page.eval_on_selector_all(
        "table.dashboard tbody tr:first-child td",
        "cells => cells.filter(c => c.offsetParent)"
        ".map(c => getComputedStyle(c, '::before').content)",
    )
    assert '"Next appointment"' in labels
    widths = page.eval_on_selector_all(
        "table.dashboard tbody tr:first-child > *",
        "cells => cells.filter(c => c.offsetParent).map(c => c.getBoundingClientRect().width)",
    )
    assert len(widths) >= 6 and min(widths) >= PHONE["width"] * 0.85  # one above the other
    header = page.locator("table.dashboard thead").bounding_box()
    assert header["height"] <= 1  # read by screen readers, not shown

    page.set_viewport_size(DESKTOP)
    box = rows.first.bounding_box()
    # One line per cell but the prompts (three here): as a card it would be over 500 px.
    assert box["height"] < 250 and rows.first.evaluate("r => getComputedStyle(r).display") == (
        "table-row"
    )


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{page.url}: {violation['id']} ({violation['impact']}): {violation['help']}: "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_history_pages_pass_axe_in_light_and_dark(live_server, browser, diaries, scheme):
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    sign_in(page, live_server, diaries["patient"].email)
    problems = []
    for path in ["/history/", "/history/calendar/", "/history/calendar/?month=2026-10"]:
        page.goto(live_server.url + path)
        assert page.locator("text=not logged").count() or "month=" in path
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            problems += _serious(page)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(33, 37, 41)" if scheme == "dark" else "rgb(255, 255, 255)")
    context.close()
    assert problems == []
