"""Two nights kept without a signal (a trip with no coverage across two mornings): each save has
its own idempotency key, so both are kept and both reach the diary, once each."""

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from diary.models import Night, SaveKey
from tests.browser.test_offline import _cut, _installed, _kept, _restore, sleeper  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_mornings_offline_keep_two_nights_with_two_keys(live_server, page, sleeper):  # noqa: F811
    now = datetime.now()
    page.clock.install(time=now - timedelta(days=1))  # the first morning was yesterday
    _installed(page, live_server, sleeper)
    _cut(page)
    page.reload()
    page.get_by_role("button", name="No cramps last night").click()
    expect(page.locator("#offline-outbox")).to_contain_text("is kept on this phone")
    page.clock.set_system_time(now)  # the next morning, still without a signal
    page.reload()
    page.get_by_role("button", name="No cramps last night").click()
    # The first night's line is already shown: wait for the second night to be kept.
    for _ in range(400):
        if _kept(page) == 2:
            break
        page.wait_for_timeout(50)
    assert _kept(page) == 2
    keys = page.evaluate(
        """new Promise((resolve) => {
             const open = indexedDB.open('night-cramp-diary', 1);
             open.onsuccess = () => {
               const all = open.result.transaction('outbox').objectStore('outbox').getAllKeys();
               all.onsuccess = () => resolve(all.result);
             };
           })"""
    )
    assert len(set(keys)) == 2

    _restore(page)
    page.reload()
    expect(page.locator("h1")).to_have_text("Saved ✓")
    nights = sorted(Night.objects.filter(patient=sleeper).values_list("date", flat=True))
    assert len(nights) == 2 and nights[1] - nights[0] == timedelta(days=1)
    assert SaveKey.objects.filter(patient=sleeper).count() == 2
