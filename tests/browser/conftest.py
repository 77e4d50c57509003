"""Browser tests drive Debian's Chromium through Playwright against the live test server.

They are skipped when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (as in CI), where
a missing browser is an error.
"""

import os
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the test
# itself (fixtures) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"browser tests need {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "timezone_id": "America/Chicago"}


def assert_no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at phone width"


def sign_in(page, live_server, email):
    """Signs in through the log-in form, as a person would, and waits for the next page."""
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def save_log(page, save="Save", check="No warning signs ticked: check"):
    """Saves the log form as a patient does: when the Save bar asks for a look at the warning
    signs first (they have not been in view), taps that, then Save."""
    # Two frames: a scroll's "in view" notice (IntersectionObserver) reaches the page first.
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    look = page.get_by_role("button", name=check)
    if look.is_visible():
        tap_in_place(page, look)
    page.get_by_role("button", name=save, exact=True).last.click()


def tap_in_place(page, locator):
    """A press where the element is on the screen now. Playwright's click first scrolls a
    sticky bar's button towards the bar's place at the end of the form, which a patient's
    finger never does."""
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
