"""The installable app without a signal (issue 17): the morning log is kept in the page while
there is no connection, shown as waiting, and sent once when the connection returns.

The network is cut with a route that aborts every request, on the context as well as the page:
Playwright's `set_offline` does not cover the service worker's own fetches.
"""

import re
import struct

import pytest
from playwright.sync_api import expect

from accounts.models import User
from diary.models import Night, SaveKey
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sleeper(db):
    # The browser's zone (conftest): the page and the server agree on which night is last night.
    return User.objects.create_user(
        email="sleeper@example.org",
        password=PASSWORD,
        full_name="Sam Sleeper",
        time_zone="America/Chicago",
    )


def _abort(route):
    route.abort()


def _cut(page):
    page.context.route("**/*", _abort)
    page.route("**/*", _abort)


def _restore(page):
    page.unroute("**/*", _abort)
    page.context.unroute("**/*", _abort)


def _installed(page, live_server, user):
    """Signed in, on the log page, with the service worker in control and the shell kept."""
    sign_in(page, live_server, user.email)
    page.goto(live_server.url + "/log/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_function("caches.match('/log/offline/').then((shell) => Boolean(shell))")


def _kept(page):
    return page.evaluate(
        """new Promise((resolve) => {
             const open = indexedDB.open('night-cramp-diary', 1);
             open.onsuccess = () => {
               const request = open.result.transaction('outbox').objectStore('outbox').getAll();
               request.onsuccess = () => resolve(request.result.length);
             };
           })"""
    )


def test_no_cramps_without_a_signal_is_kept_then_sent_exactly_once(live_server, page, sleeper):
    _installed(page, live_server, sleeper)
    _cut(page)
    page.reload()  # no connection: the service worker answers with the kept shell
    expect(page.locator("[data-log-shell]")).to_have_count(1)
    page.get_by_role("button", name="No cramps last night").click()
    outbox = page.locator("#offline-outbox")
    expect(outbox).to_contain_text("waiting to send")
    expect(outbox).to_contain_text("no cramps")
    assert _kept(page) == 1
    assert not Night.objects.filter(patient=sleeper).exists()

    _restore(page)
    page.reload()  # the page sends what it kept when it loads
    expect(outbox).to_contain_text("Sent: the night of")
    assert _kept(page) == 0
    night = Night.objects.get(patient=sleeper)
    assert SaveKey.objects.filter(patient=sleeper).count() == 1

    page.goto(live_server.url + "/history/")
    expect(page.locator("ol.nights > li.night-free")).to_have_count(1)
    expect(page.locator("ol.nights > li").first).to_contain_text("no cramps")
    page.reload()  # and nothing is sent again
    assert Night.objects.get(patient=sleeper).updated_at == night.updated_at
    assert SaveKey.objects.filter(patient=sleeper).count() == 1


def test_a_full_log_without_a_signal_is_sent_when_the_browser_is_back_online(
    live_server, page, sleeper
):
    _installed(page, live_server, sleeper)
    _cut(page)  # the page was loaded with a signal; it goes while typing
    cramp = page.get_by_role("region", name="Cramp 1")
    cramp.get_by_text("Calf", exact=True).click()
    cramp.get_by_text("Left", exact=True).click()
    cramp.get_by_label("How long, in minutes?").fill("3")
    cramp.get_by_role("group", name="How bad").get_by_text("7", exact=True).click()
    page.get_by_role("button", name="Save", exact=True).last.click()
    expect(page.locator("#offline-outbox")).to_contain_text("(your log): waiting to send")
    assert not Night.objects.filter(patient=sleeper).exists()

    _restore(page)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#offline-outbox")).to_contain_text("Sent: the night of")
    night = Night.objects.get(patient=sleeper)
    assert [(c.muscle, c.side, c.severity) for c in night.cramps.all()] == [("calf", "left", 7)]


def test_signing_out_clears_what_the_page_kept(live_server, page, sleeper):
    _installed(page, live_server, sleeper)
    _cut(page)
    page.reload()
    page.get_by_role("button", name="No cramps last night").click()
    expect(page.locator("#offline-outbox")).to_contain_text("waiting to send")
    _restore(page)
    page.once("dialog", lambda dialog: dialog.accept())  # "1 unsent night(s) will be lost"
    page.get_by_role("button", name="Menu").click()
    # Let the menu finish opening: a click during Bootstrap's animation can miss the button.
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert _kept(page) == 0
    assert page.evaluate("caches.keys().then((names) => names.length)") == 0
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)") == 0


def test_the_manifest_passes_the_install_checks(live_server, page, sleeper):
    """What Lighthouse checks for an installable app, on our manifest and worker."""
    _installed(page, live_server, sleeper)
    href = page.locator("link[rel=manifest]").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.ok and response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Night Cramp Diary" and manifest["short_name"]
    assert len(manifest["short_name"]) <= 12  # not cut short under the icon
    assert manifest["start_url"] == "/log/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] and manifest["background_color"]
    assert page.locator("meta[name=theme-color]").get_attribute("content")
    sizes = {}
    for icon in manifest["icons"]:
        image = page.request.get(live_server.url + icon["src"])
        assert image.ok and image.headers["content-type"] == "image/png"
        width, height = struct.unpack(">II", image.body()[16:24])  # the PNG header
        assert icon["sizes"] == f"{width}x{height}"
        sizes.setdefault(icon.get("purpose", "any"), set()).add(width)
    assert {192, 512} <= sizes["any"] and 512 in sizes["maskable"]
    # The start page is controlled by the worker, whose scope is the whole site.
    page.goto(live_server.url + manifest["start_url"])
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == live_server.url + "/"
    assert page.evaluate("navigator.serviceWorker.controller !== null")
