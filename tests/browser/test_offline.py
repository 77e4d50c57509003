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
from tests.browser.conftest import save_log, sign_in
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


def until(page, script, tries=400):
    """Waits until the page's `script` is true. (Playwright's wait_for_function evaluates a
    string, which our Content-Security-Policy forbids; evaluate does not.)"""
    for _ in range(tries):
        if page.evaluate(script):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never true: {script}")


def _installed(page, live_server, user):
    """Signed in, on the log page, with the service worker in control and the shell kept."""
    sign_in(page, live_server, user.email)
    page.goto(live_server.url + "/log/")
    # Bounded, unlike `serviceWorker.ready`, which waits for ever if registration fails.
    until(page, "navigator.serviceWorker.getRegistration().then((r) => Boolean(r && r.active))")
    page.reload()  # the next visit is the worker's from its start
    until(page, "navigator.serviceWorker.controller !== null")
    until(page, "caches.match('/log/offline/').then((shell) => Boolean(shell))")


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


def _checked(page):
    """Waits until the page has looked at what is kept (and sent what it would send)."""
    until(page, "Number(document.documentElement.dataset.outboxChecked) > 0")


def test_no_cramps_without_a_signal_is_kept_then_sent_exactly_once(live_server, page, sleeper):
    _installed(page, live_server, sleeper)
    _cut(page)
    page.reload()  # no connection: the service worker answers with the kept shell
    expect(page.locator("[data-log-shell]")).to_have_count(1)
    expect(page.locator("#offline-banner")).to_contain_text("You're offline")
    page.get_by_role("button", name="No cramps last night").click()
    outbox = page.locator("#offline-outbox")
    expect(outbox).to_contain_text(
        "You're offline. Your night (no cramps) is kept on this phone and will be sent when "
        "you're back online."
    )
    assert _kept(page) == 1
    assert not Night.objects.filter(patient=sleeper).exists()

    _restore(page)
    page.reload()  # the page sends what it kept when it loads, then shows it saved
    expect(page.locator("h1")).to_have_text("Saved ✓")
    assert _kept(page) == 0
    night = Night.objects.get(patient=sleeper)
    assert SaveKey.objects.filter(patient=sleeper).count() == 1

    page.goto(live_server.url + "/history/")
    expect(page.locator("ol.nights > li.night-free")).to_have_count(1)
    expect(page.locator("ol.nights > li").first).to_contain_text("no cramps")
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    page.reload()  # and nothing is sent again, once the page has looked
    _checked(page)
    assert posts == []
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
    save_log(page)
    expect(page.locator("#offline-outbox")).to_contain_text("Your night (1 cramp, 7/10) is kept")
    assert not Night.objects.filter(patient=sleeper).exists()

    _restore(page)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("h1")).to_have_text("Saved ✓")
    night = Night.objects.get(patient=sleeper)
    assert [(c.muscle, c.side, c.severity) for c in night.cramps.all()] == [("calf", "left", 7)]


def test_signing_out_says_what_the_diary_has_not_confirmed(live_server, page, sleeper):
    _installed(page, live_server, sleeper)
    _cut(page)
    page.reload()
    page.get_by_role("button", name="No cramps last night").click()
    expect(page.locator("#offline-outbox")).to_contain_text("is kept on this phone")
    _restore(page)
    # The save itself still cannot get through: the diary never confirms it.
    page.context.route("**/no-cramps/", _abort)
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    page.get_by_role("button", name="Menu").click()
    # Let the menu finish opening: a click during Bootstrap's animation can miss the button.
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert asked == [
        "One night typed without a signal has not been confirmed by the diary: it may be saved "
        "already, or not. Signing out removes it from this phone. Sign out?"
    ]
    assert _kept(page) == 0
    assert page.evaluate("caches.keys().then((names) => names.length)") == 0
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)") == 0
    assert not Night.objects.filter(patient=sleeper).exists()


def test_signing_out_with_a_signal_sends_what_was_kept_first(live_server, page, sleeper):
    _installed(page, live_server, sleeper)
    _cut(page)
    page.reload()
    page.get_by_role("button", name="No cramps last night").click()
    expect(page.locator("#offline-outbox")).to_contain_text("is kept on this phone")
    _restore(page)
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.message) or dialog.accept())
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert asked == []  # nothing is lost: the diary has it
    assert Night.objects.filter(patient=sleeper).count() == 1


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


def _log_a_cramp(page, severity):
    cramp = page.get_by_role("region", name="Cramp 1")
    cramp.get_by_text("Calf", exact=True).click()
    cramp.get_by_text("Left", exact=True).click()
    cramp.get_by_label("How long, in minutes?").fill("3")
    cramp.get_by_role("group", name="How bad").get_by_text(str(severity), exact=True).click()
    save_log(page)


def test_offline_the_page_says_what_it_kept_and_then_that_it_is_saved(live_server, page, sleeper):
    """Issue 23: the patient can tell, offline, what the phone kept; one night however often it
    is typed; the server's date style; "Saved ✓" once it is sent."""
    _installed(page, live_server, sleeper)
    night_shown = page.locator("[data-log-page]").get_attribute("data-night-shown")
    _cut(page)
    page.reload()
    _log_a_cramp(page, 6)
    outbox = page.locator("#offline-outbox")
    expect(outbox).to_contain_text(
        "You're offline. Your night (1 cramp, 6/10) is kept on this phone and will be sent when "
        "you're back online."
    )
    entry = page.locator("[data-kept-entry]")
    expect(entry).to_contain_text(f"The night of {night_shown}: 1 cramp, 6/10.")
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator("#log-form")).to_be_hidden()  # nothing invites typing it again
    page.screenshot(path="/tmp/shots/offline-saved.png")

    # Typed again: the kept night is replaced, visibly, and stays one.
    entry.get_by_role("button", name="Change it").click()
    expect(page.locator("#log-form")).to_be_visible()
    _log_a_cramp(page, 8)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(f"The night of {night_shown}: 1 cramp, 8/10.")
    expect(outbox).to_contain_text("It replaces the same night typed before")
    assert _kept(page) == 1

    # Offline, Home is not the log form under Home's address.
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="This page needs a connection")).to_be_visible()
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator("#log-form")).to_have_count(0)

    # Another tab (another browsing session) says a night is kept, without what it holds.
    other = page.context.new_page()
    other.goto(live_server.url + "/log/")
    expect(other.locator("#offline-outbox")).to_have_text(
        "A night typed without a signal is kept on this phone and will be sent when you're back "
        "online."
    )
    other.close()

    _restore(page)
    page.goto(live_server.url + "/log/")
    expect(page.locator("h1")).to_have_text("Saved ✓")
    _checked(page)
    assert page.inner_text("main").count("Saved ✓") == 1
    expect(page.locator("#offline-outbox")).to_be_hidden()
    night = Night.objects.get(patient=sleeper)
    assert [cramp.severity for cramp in night.cramps.all()] == [8]
    assert SaveKey.objects.filter(patient=sleeper).count() == 1
