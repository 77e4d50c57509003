"""One phone shared by two patients (issue 23), at phone size: a night kept without a signal
belongs to the session that typed it. Nothing of Alice's reaches Bob's page or diary, nothing
of Bob's reaches Alice's, and Alice's night is sent to her diary only when she, signed in
again, asks for it.

Sessions end as they do on a shared phone: without the Sign out menu (the session's row is
deleted on the server, as at expiry or after a password reset elsewhere).
"""

from importlib import import_module

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import User
from diary.models import Night
from tests.browser.conftest import save_log, sign_in
from tests.browser.test_offline import _cut, _installed, _restore, until
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _end_sessions():
    """Every session ends on the server, as at expiry: the rows go, the cookie stays."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.get_model_class().objects.all().delete()


SHOTS = "/tmp/shots"
ALICE_WORDS = "Alice's private words"


def _patient(email, name):
    # The browser's zone (conftest): the page and the server agree on which night is last night.
    return User.objects.create_user(
        email=email, password=PASSWORD, full_name=name, time_zone="America/Chicago"
    )


@pytest.fixture
def alice(db):
    return _patient("alice@example.org", "Alice Walker")


@pytest.fixture
def bob(db):
    return _patient("bob@example.org", "Bob Stranger")


def _checked(page):
    """Waits until the page has looked at what is kept (and sent what it would send)."""
    until(page, "Number(document.documentElement.dataset.outboxChecked) > 0")


def _shell_for(page, user):
    """Waits until the worker keeps the shell of `user`'s session."""
    until(
        page,
        f"""caches.keys().then(async (names) => {{
              for (const name of names) {{
                const shell = await (await caches.open(name)).match('/log/offline/');
                const owner = shell && shell.headers.get('X-Outbox-Owner');
                if (owner && owner.startsWith('{user.pk}-')) return true;
              }}
              return false;
            }})""",
    )


def _kept_shells(page):
    return page.evaluate("caches.keys().then((names) => names.length)")


def _outbox_dump(page):
    """Everything the phone keeps of unsent nights, as text."""
    return page.evaluate(
        """new Promise((resolve) => {
             const open = indexedDB.open('night-cramp-diary', 1);
             open.onsuccess = () => {
               const request = open.result.transaction('outbox').objectStore('outbox').getAll();
               request.onsuccess = () => resolve(JSON.stringify(request.result));
             };
           })"""
    )


def _screenshot(page, name):
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=False)


def test_a_shared_phone_keeps_each_patients_nights_to_themselves(live_server, page, alice, bob):
    # Alice logs last night without a signal: kept on the phone, sealed.
    _installed(page, live_server, alice)
    _cut(page)
    page.reload()
    cramp = page.get_by_role("region", name="Cramp 1")
    cramp.get_by_text("Calf", exact=True).click()
    cramp.get_by_text("Left", exact=True).click()
    cramp.get_by_label("How long, in minutes?").fill("3")
    cramp.get_by_role("group", name="How bad").get_by_text("6", exact=True).click()
    page.get_by_text("Notes, and toxins").click()
    page.get_by_label("Notes").fill(ALICE_WORDS)
    save_log(page)
    expect(page.locator("#offline-outbox")).to_contain_text("Your night (1 cramp, 6/10) is kept")
    assert "private words" not in _outbox_dump(page)  # sealed: unreadable without her key

    # Her session ends without the Sign out menu; Bob signs in on the same phone.
    _restore(page)
    _end_sessions()
    sign_in(page, live_server, bob.email)
    _shell_for(page, bob)
    _checked(page)
    outbox = page.locator("#offline-outbox")
    expect(outbox).to_have_text("A night logged by another account is kept on this phone.")

    # Bob loses signal and opens the log: his own empty shell, nothing of Alice's.
    _cut(page)
    page.goto(live_server.url + "/log/")
    expect(page.locator("[data-log-shell]")).to_have_count(1)
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(outbox).to_have_text("A night logged by another account is kept on this phone.")
    assert "private words" not in page.content() and "6/10" not in page.content()
    _screenshot(page, "other-account-line")
    assert _kept_shells(page) == 1  # Bob's alone: Alice's went when he signed in
    # Offline, History is not the log form under History's address.
    page.goto(live_server.url + "/history/")
    expect(page.get_by_role("heading", name="This page needs a connection")).to_be_visible()
    expect(page.locator("#log-form")).to_have_count(0)

    # Back online, nothing of Alice's lands in Bob's diary (nor in hers).
    _restore(page)
    page.goto(live_server.url + "/log/")
    _checked(page)
    expect(page.locator("#log-form textarea")).to_have_value("")
    assert not Night.objects.exists()

    # Bob's session ends while he has no signal; on the kept page he taps "No cramps".
    _cut(page)
    page.reload()
    _end_sessions()
    page.get_by_role("button", name="No cramps last night").click()
    expect(outbox).to_contain_text("Your night (no cramps) is kept")
    _restore(page)
    page.goto(live_server.url + "/log/")  # signed out: the sign-in page
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    until(page, "caches.keys().then((names) => names.length === 0)")
    assert not Night.objects.exists()

    # Alice signs in again: she is asked about her night, and sees only that Bob's is kept.
    sign_in(page, live_server, alice.email)
    _checked(page)
    prompt = page.locator("[data-owner-prompt]")
    expect(prompt).to_have_count(1)
    expect(prompt).to_contain_text("A night typed on this phone on")
    expect(prompt).to_contain_text("while offline: send it / discard it")
    expect(outbox).to_contain_text("A night logged by another account is kept on this phone.")
    assert "no cramps" not in outbox.inner_text()
    assert not Night.objects.exists()  # not sent by itself
    _screenshot(page, "owner-prompt")

    with page.expect_navigation():
        prompt.get_by_role("button", name="send it").click()
    expect(page.locator("h1")).to_have_text("Saved ✓")
    night = Night.objects.get()
    assert night.patient == alice and night.notes == ALICE_WORDS
    assert [cramp.severity for cramp in night.cramps.all()] == [6]
    expect(outbox).to_have_text("A night logged by another account is kept on this phone.")
    assert not Night.objects.filter(patient=bob).exists()
