import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.conftest import assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_patient_signs_up_signs_out_and_signs_in_on_a_phone(live_server, page):
    page.goto(live_server.url + "/")
    assert_no_sideways_scroll(page)
    # The stylesheet really loaded: Bootstrap's primary button colour is applied.
    start = page.get_by_role("link", name="Start a diary")
    assert start.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(13, 110, 253)"
    start.click()

    expect(page.get_by_label("Your time zone")).to_have_value("America/Chicago")
    assert_no_sideways_scroll(page)
    page.get_by_label("Your name").fill("Erin Phone")
    page.get_by_label("E-mail address").fill("erin@example.org")
    page.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill("leg-cramps-at-3am")
    page.get_by_label("Password confirmation").fill("leg-cramps-at-3am")
    page.get_by_role("button", name="Create my diary").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Good morning, Erin")
    assert_no_sideways_scroll(page)
    assert User.objects.get(email="erin@example.org").time_zone == "America/Chicago"

    page.get_by_role("button", name="Menu").click()
    # Let the menu finish opening: a click during Bootstrap's animation can miss the button.
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Start a diary")).to_be_visible()

    page.goto(live_server.url + "/accounts/login/")
    assert_no_sideways_scroll(page)
    page.get_by_label("E-mail address").fill("erin@example.org")
    page.get_by_label("Password").fill("leg-cramps-at-3am")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Good morning, Erin")
